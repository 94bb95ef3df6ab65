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
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        guard let invalid = convert(bytes, from: encoding, into: { output.append(contentsOf: $0) }) else { return nil }
        return (String(decoding: output, as: UTF8.self), invalid)
    }

    /// How many invalid sequences `bytes` hold in `encoding`, in memory that does not grow with
    /// the input; nil when iconv does not know the encoding.
    public static func invalidSequences(in bytes: Data, encoding: String) -> Int? {
        convert(Array(bytes), from: encoding, into: { _ in })
    }

    /// Runs iconv over `bytes` into a fixed buffer, handing each filled part to `sink`.
    private static func convert(_ bytes: [UInt8], from encoding: String, into sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Int? {
        let converter = iconv_open("UTF-8", encoding)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var invalid = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { source in
            buffer.withUnsafeMutableBufferPointer { target in
                guard let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(sourceBase).assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                let outStart = UnsafeMutableRawPointer(targetBase).assumingMemoryBound(to: CChar.self)
                while inLeft > 0 {
                    var outPointer: UnsafeMutablePointer<CChar>? = outStart
                    var outLeft = target.count
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let failure = result == -1 ? errno : 0
                    sink(UnsafeBufferPointer(start: targetBase, count: target.count - outLeft))
                    if result != -1 || failure == E2BIG { continue }
                    // EILSEQ: an invalid sequence here, skipped; EINVAL: one cut off at the end.
                    guard failure == EILSEQ else { break }
                    invalid += 1
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                }
            }
        }
        return invalid
    }
}
