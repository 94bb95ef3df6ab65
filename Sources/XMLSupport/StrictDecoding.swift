import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decoding bytes in a named legacy encoding with the system's iconv (the converter libxml2
/// itself uses), without substitutions: a byte sequence the encoding does not define is counted,
/// not guessed at. This is what lets a guess at an undeclared encoding be checked.
public enum StrictDecoding {
    /// The text of `bytes` in `encoding` and how many invalid sequences were skipped (one byte
    /// each). A multi-byte character cut off at the very end is dropped without counting, so a
    /// prefix of a document can be decoded. Nil when iconv does not know the encoding.
    public static func decode(_ bytes: [UInt8], from encoding: String) -> (text: String, invalid: Int)? {
        let converter = iconv_open("UTF-8", encoding)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var invalid = 0
        var produced = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(sourceBase).assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(targetBase).assumingMemoryBound(to: CChar.self)
                var outLeft = target.count
                while inLeft > 0 {
                    if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 { break }
                    // EINVAL: an incomplete sequence at the end; anything else: an invalid one here.
                    if errno == EINVAL { break }
                    guard errno == EILSEQ else { break }
                    invalid += 1
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                }
                produced = target.count - outLeft
            }
        }
        return (String(decoding: output[0..<produced], as: UTF8.self), invalid)
    }
}
