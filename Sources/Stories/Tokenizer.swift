import Foundation

/// Splits headline and summary text into the terms the clusterer compares, by script:
/// words for Latin, Cyrillic, Greek and Hangul (plus syllable bigrams for Korean, whose words
/// carry particles), overlapping character bigrams for Han and Kana, which have no spaces.
public enum Tokenizer {
    public enum Script { case word, hangul, cjk }

    /// Terms for similarity: stopwords removed, English plurals folded, Korean particles stripped.
    public static func terms(in text: String) -> [String] {
        var terms: [String] = []
        for (token, script) in segments(of: text) {
            switch script {
            case .word:
                guard !englishStopwords.contains(token) else { continue }
                let stem = lightStem(token)
                if stem.count > 1 || stem.first?.isNumber == true { terms.append(stem) }
            case .hangul:
                let word = stripKoreanParticle(token)
                if word.count > 1 { terms.append(word) }
                terms.append(contentsOf: bigrams(of: word))
            case .cjk:
                terms.append(contentsOf: token.count == 1 ? [token] : bigrams(of: token))
            }
        }
        return terms
    }

    /// Folded words with nothing removed, for fingerprints of identical texts.
    public static func words(in text: String) -> [String] {
        segments(of: text).map(\.0)
    }

    static func segments(of text: String) -> [(String, Script)] {
        let normalised = text.precomposedStringWithCompatibilityMapping.lowercased()
        var result: [(String, Script)] = []
        var current = String.UnicodeScalarView()
        var currentScript: Script = .word
        func flush() {
            guard !current.isEmpty else { return }
            var token = String(current)
            if currentScript == .word, !token.allSatisfy(\.isASCII) {
                token = token.folding(options: .diacriticInsensitive, locale: nil).precomposedStringWithCanonicalMapping
            }
            result.append((token, currentScript))
            current.removeAll()
        }
        let scalars = Array(normalised.unicodeScalars)
        func isBetweenDigits(_ index: Int) -> Bool {
            index > 0 && index + 1 < scalars.count
                && scalars[index - 1].properties.numericType != nil && scalars[index + 1].properties.numericType != nil
        }
        for (index, scalar) in scalars.enumerated() {
            if (scalar == "." || scalar == ","), isBetweenDigits(index) {
                // "3.2" stays one term; "14,000" becomes "14000".
                if scalar == "." { current.append(scalar) }
                continue
            }
            guard let script = Self.script(of: scalar) else {
                flush()
                continue
            }
            if script != currentScript { flush() }
            currentScript = script
            current.append(scalar)
        }
        flush()
        return result
    }

    private static func script(of scalar: Unicode.Scalar) -> Script? {
        switch scalar.value {
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return .cjk
        default:
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil ? .word : nil
        }
    }

    private static func bigrams(of token: String) -> [String] {
        let characters = Array(token)
        guard characters.count > 1 else { return [] }
        return (0..<characters.count - 1).map { String(characters[$0...$0 + 1]) }
    }

    /// English plural and possessive endings only: enough to join "bridge"/"bridges"; full
    /// stemming is for a later version.
    static func lightStem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy(\.isLetter) else { return word }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("xes") {
            return String(word.dropLast(2))
        }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            return String(word.dropLast())
        }
        return word
    }

    private static let koreanParticles = [
        "에서는", "으로는", "에게서", "까지", "부터", "에서", "으로", "에게", "보다", "처럼", "은", "는", "이", "가", "을", "를",
        "의", "에", "로", "와", "과", "도", "만",
    ]

    private static func stripKoreanParticle(_ word: String) -> String {
        for particle in koreanParticles where word.hasSuffix(particle) && word.count - particle.count >= 2 {
            return String(word.dropLast(particle.count))
        }
        return word
    }

    static let englishStopwords: Set<String> = [
        "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
        "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
        "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
        "might", "more", "most", "much", "must", "my", "new", "no", "nor", "not", "now", "of", "off", "on", "once",
        "one", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says", "she", "should",
        "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
        "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "s", "t",
        "amid", "says", "say", "told", "tells", "report", "reports", "news", "today", "week", "day", "year", "two",
        "three", "first", "last", "still", "yet", "get", "gets", "got", "make", "makes", "made", "like", "what's",
    ]
}
