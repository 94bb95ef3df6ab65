/// 64-bit SimHash (Charikar 2002) over the words and overlapping word pairs of a text: texts that differ in a
/// word or two (a wire copy with the outlet's name or a fixed typo) land a few bits apart.
public enum SimHash {
    /// Below this many words a one-word change moves too many bits to tell copies from news.
    public static let minimumWords = 6

    /// nil for texts too short to compare.
    public static func hash(title: String, summary: String) -> UInt64? {
        let words = Tokenizer.wordBytes(in: title) + Tokenizer.wordBytes(in: summary)
        guard words.count >= minimumWords else { return nil }
        // A bit is set when more than half the features set it. The features are counted in
        // bit-sliced form: plane k holds bit k of each of the 64 counts, so adding a feature is a
        // ripple of ANDs and XORs across a few planes instead of 64 separate additions.
        var planes: [UInt64] = []
        var features = 0
        func add(_ feature: UInt64) {
            features += 1
            var carry = feature
            for plane in planes.indices where carry != 0 {
                let next = planes[plane] & carry
                planes[plane] ^= carry
                carry = next
            }
            if carry != 0 { planes.append(carry) }
        }
        // Words and word pairs: pairs keep the order, words keep a one-word edit from moving
        // more than a few features.
        for index in words.indices {
            add(fnv1a(words[index], []))
            if index + 1 < words.count { add(fnv1a(words[index], words[index + 1])) }
        }
        var result: UInt64 = 0
        for bit in 0..<64 {
            var ones = 0
            for plane in planes.indices { ones |= Int((planes[plane] >> UInt64(bit)) & 1) << plane }
            if 2 * ones > features { result |= 1 << UInt64(bit) }
        }
        return result
    }

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    private static func fnv1a(_ first: ArraySlice<UInt8>, _ second: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in first {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        hash ^= 0x20
        hash = hash &* 0x0000_0100_0000_01B3
        for byte in second {
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
