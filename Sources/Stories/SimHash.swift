/// 64-bit SimHash (Charikar 2002) over the words and overlapping word pairs of a text: texts that differ in a
/// word or two (a wire copy with the outlet's name or a fixed typo) land a few bits apart.
public enum SimHash {
    /// Below this many words a one-word change moves too many bits to tell copies from news.
    public static let minimumWords = 6

    /// nil for texts too short to compare.
    public static func hash(title: String, summary: String) -> UInt64? {
        let words = Tokenizer.words(in: title) + Tokenizer.words(in: summary)
        guard words.count >= minimumWords else { return nil }
        var counts = [Int](repeating: 0, count: 64)
        func add(_ feature: UInt64) {
            for bit in 0..<64 { counts[bit] += (feature >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        // Words and word pairs: pairs keep the order, words keep a one-word edit from moving
        // more than a few features.
        for index in words.indices {
            add(fnv1a(words[index], ""))
            if index + 1 < words.count { add(fnv1a(words[index], words[index + 1])) }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where counts[bit] > 0 { result |= 1 << UInt64(bit) }
        return result
    }

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    private static func fnv1a(_ first: String, _ second: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in first.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        hash ^= 0x20
        hash = hash &* 0x0000_0100_0000_01B3
        for byte in second.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        // FNV's low bits mix poorly; a final avalanche spreads every input bit over the word.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
