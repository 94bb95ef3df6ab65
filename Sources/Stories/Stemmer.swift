import CLibStemmer
import Foundation

/// A Snowball stemmer (libstemmer) for one language. The only code that touches libstemmer.
/// One stemmer instance is not reentrant, so every call holds the instance's lock.
public final class Stemmer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = NSLock()

    /// nil when libstemmer has no algorithm of that name.
    public init?(algorithm: String) {
        guard let handle = sb_stemmer_new(algorithm, "UTF_8") else { return nil }
        self.handle = handle
    }

    deinit { sb_stemmer_delete(handle) }

    /// The stem of a lower-case word; the word itself when libstemmer cannot stem it.
    public func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            lock.lock()
            defer { lock.unlock() }
            guard let stemmed = sb_stemmer_stem(handle, bytes.baseAddress, Int32(bytes.count)) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            return String(decoding: UnsafeBufferPointer(start: stemmed, count: Int(sb_stemmer_length(handle))), as: UTF8.self)
        }
    }

    /// Snowball algorithms by ISO 639-1 code, for the languages libstemmer covers.
    static let algorithms: [String: String] = [
        "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish",
        "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian", "it": "italian", "nl": "dutch",
        "no": "norwegian", "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
        "sv": "swedish", "tr": "turkish",
    ]

    /// The stemmer for an ISO 639-1 language code ("en", "de-AT"), or nil without one.
    public static func forLanguage(_ code: String) -> Stemmer? {
        let base = code.lowercased().split(separator: "-").first.map(String.init) ?? ""
        guard let algorithm = algorithms[base] else { return nil }
        return Stemmer(algorithm: algorithm)
    }
}
