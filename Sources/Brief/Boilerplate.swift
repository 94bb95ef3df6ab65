import Stories

/// Sentences that are a feed's furniture rather than news: never shown in a brief.
///
/// Two sources: phrases every feed reader knows ("The post … appeared first on …", "Continue
/// reading", cookie and consent notices, lone bylines and datelines), and sentences one outlet
/// repeats across articles of different stories, learned from the store (`RepeatKey`).
public enum Boilerplate {
    /// One outlet's sentence, by a hash of its folded words.
    public struct RepeatKey: Sendable, Hashable {
        public var outlet: String
        public var sentence: UInt64

        public init(outlet: String, sentence: UInt64) {
            self.outlet = outlet
            self.sentence = sentence
        }
    }

    /// FNV-1a over the folded words: case, punctuation and spacing do not matter.
    public static func sentenceHash(_ sentence: Substring) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for word in Tokenizer.wordBytes(in: String(sentence)) {
            for byte in word {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0x20
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The sentences worth remembering per outlet: the first two and last two of the summary
    /// and of the content, where feeds put their furniture (bylines, "Read more", sign-offs).
    public static func edgeSentenceHashes(of article: Article) -> Set<UInt64> {
        var hashes: Set<UInt64> = []
        for field in [article.summary, article.content] where !field.isEmpty {
            let sentences = SentenceSplitter.sentences(in: field)
            for sentence in sentences.prefix(2) + sentences.suffix(2) { hashes.insert(sentenceHash(sentence)) }
        }
        return hashes
    }

    /// Lower-cased phrases that mark a sentence as furniture wherever they occur.
    static let phrases = [
        "appeared first on", "continue reading", "read more", "read the full", "read full story", "click here", "subscribe",
        "sign up for", "newsletter", "cookie", "consent", "privacy policy", "terms of use", "terms of service",
        "all rights reserved", "copyright", "©", "follow us on", "share this", "advertisement", "this article was originally published",
        "originally appeared", "view comments", "comments)", "javascript", "your browser", "download our app",
        "listen to this article", "image caption", "photo credit", "getty images", "image source",
        "구독", "무단전재", "저작권", "기자 =", "版权所有", "阅读全文", "点击", "記事を読む", "続きを読む",
    ]

    /// The phrases as UTF-8, searched for as bytes: Foundation's `contains` (a locale-aware
    /// NSString search) was a fifth of a whole `parallax run` on the sample.
    static let phraseBytes: [[UInt8]] = phrases.map { Array($0.utf8) }

    /// The phrases by their first byte: the text is read once, and at each byte only the phrases
    /// that start with it are compared.
    static let phrasesByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for phrase in phraseBytes { table[Int(phrase[0])].append(phrase) }
        return table
    }()

    static func containsPhrase(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { containsPhrase($0, folding: false) }
    }

    /// - Parameter folding: compare ASCII capitals as lower case (the phrases are lower case).
    static func containsPhrase(_ bytes: UnsafeBufferPointer<UInt8>, folding: Bool) -> Bool {
        @inline(__always) func byte(_ index: Int) -> UInt8 {
            let value = bytes[index]
            return folding && value >= 0x41 && value <= 0x5A ? value | 0x20 : value
        }
        for start in bytes.indices {
            for phrase in phrasesByFirstByte[Int(byte(start))] where phrase.count <= bytes.count - start {
                var matched = 1
                while matched < phrase.count, byte(start + matched) == phrase[matched] { matched += 1 }
                if matched == phrase.count { return true }
            }
        }
        return false
    }

    /// True for a sentence no reader should be shown as news.
    public static func isBoilerplate(_ sentence: Substring) -> Bool {
        Tokenizer.isASCII(sentence) ? isASCIIBoilerplate(sentence) : scalarIsBoilerplate(sentence)
    }

    /// The rules on any text (the ASCII path must agree with it on ASCII text).
    static func scalarIsBoilerplate(_ sentence: Substring) -> Bool {
        let lower = sentence.lowercased()
        if containsPhrase(Array(lower.utf8)) { return true }
        let words = lower.split { $0 == " " || $0 == "\u{A0}" }
        // A byline alone: "By Jane Doe and John Roe, staff reporters".
        if lower.hasPrefix("by "), words.count <= 10 { return true }
        // A dateline or label alone ("WASHINGTON —", "Updated 4:05 p.m. ET", "Nov. 4, 2026"):
        // fewer than four lower-case words of three letters or more, in a text of word scripts.
        let hasCJK = sentence.unicodeScalars.contains { SentenceSplitter.isCJK($0) || SentenceSplitter.isHangul($0) }
        if !hasCJK {
            let plainWords = sentence.split(separator: " ").filter { word in
                word.count >= 3 && word.allSatisfy { $0.isLetter } && word.first!.isLowercase
            }
            if plainWords.count < 4 { return true }
        } else if sentence.count < 8 {
            return true
        }
        return false
    }

    /// `isBoilerplate` on ASCII text, by bytes: the same rules without building strings or
    /// arrays (this check runs on every sentence of every story briefed).
    static func isASCIIBoilerplate(_ sentence: Substring) -> Bool {
        if let verdict = sentence.utf8.withContiguousStorageIfAvailable(isASCIIBoilerplate) { return verdict }
        var copy = String(sentence)
        return copy.withUTF8(isASCIIBoilerplate)
    }

    static func isASCIIBoilerplate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if containsPhrase(bytes, folding: true) { return true }
        // Words are runs of bytes other than a space.
        var words = 0, plainWords = 0
        var index = 0
        while index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            guard index < bytes.count else { break }
            let start = index
            var allLetters = true
            while index < bytes.count, bytes[index] != 0x20 {
                if !((bytes[index] | 0x20) >= 0x61 && (bytes[index] | 0x20) <= 0x7A) { allLetters = false }
                index += 1
            }
            words += 1
            if index - start >= 3, bytes[start] >= 0x61, bytes[start] <= 0x7A, allLetters { plainWords += 1 }
        }
        let startsWithBy = bytes.count >= 3 && (bytes[0] | 0x20) == 0x62 && (bytes[1] | 0x20) == 0x79 && bytes[2] == 0x20
        if startsWithBy, words <= 10 { return true }
        return plainWords < 4
    }

    /// Feeds reduce paragraphs to spaces, so a byline paragraph runs into the first sentence
    /// ("By Maya Ortiz About 4,200 dockworkers …"). The sentence then starts at the last
    /// capitalised word before the first lower-case one; what is quoted is still a slice of the text.
    public static func withoutLeadingByline(_ sentence: Substring) -> Substring {
        guard sentence.hasPrefix("By "), sentence.split(separator: " ").count > 10 else { return sentence }
        let words = sentence.split(separator: " ")
        guard let firstLower = words.dropFirst().firstIndex(where: { $0.first?.isLowercase == true }) else { return sentence }
        guard let start = words[1..<firstLower].lastIndex(where: { $0.first?.isUppercase == true }), start > 1 else { return sentence }
        return sentence[words[start].startIndex...]
    }
}
