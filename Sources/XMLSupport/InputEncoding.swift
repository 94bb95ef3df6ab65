import Foundation

/// What can be learnt about a document's encoding before libxml2 sees it, and the repair of
/// documents that claim UTF-8 but are not.
public enum InputEncoding {
    /// The `encoding="…"` of an XML declaration at the start of an ASCII-compatible document.
    public static func declared(in data: Data) -> String? {
        let head = Array(data.prefix(256))
        guard let declarationEnd = head.firstIndex(of: UInt8(ascii: ">")),
            let start = head.firstIndex(of: UInt8(ascii: "<")), start + 5 < declarationEnd,
            head[start + 1] == UInt8(ascii: "?"), head[start + 2] | 0x20 == UInt8(ascii: "x")
        else { return nil }
        let declaration = Array(head[start..<declarationEnd])
        let key = Array("encoding".utf8)
        // A short or broken declaration ("<?xmm/>") has no room for the key: no range to search.
        guard declaration.count > key.count,
            let keyStart = (0...(declaration.count - key.count)).first(where: { declaration[$0..<$0 + key.count].elementsEqual(key) })
        else { return nil }
        var index = keyStart + key.count
        while index < declaration.count, declaration[index] == UInt8(ascii: " ") || declaration[index] == UInt8(ascii: "=") { index += 1 }
        guard index < declaration.count, declaration[index] == UInt8(ascii: "\"") || declaration[index] == UInt8(ascii: "'") else { return nil }
        let quote = declaration[index]
        guard let end = declaration[(index + 1)...].firstIndex(of: quote) else { return nil }
        return String(decoding: declaration[(index + 1)..<end], as: UTF8.self)
    }

    /// The document with the XML declaration's encoding name replaced, for a retry when the
    /// declared name is one libxml2 cannot decode.
    public static func replacingDeclared(in data: Data, with name: String) -> Data? {
        guard let declared = declared(in: data) else { return nil }
        let head = String(decoding: data.prefix(256), as: UTF8.self)
        guard let range = head.range(of: declared) else { return nil }
        let prefixBytes = head[..<range.lowerBound].utf8.count
        var output = Data(data.prefix(prefixBytes))
        output.append(contentsOf: Array(name.utf8))
        output.append(data.dropFirst(prefixBytes + declared.utf8.count))
        return output
    }

    /// True when the data starts with a UTF-16 or UTF-32 byte order mark.
    public static func hasWideBOM(_ data: Data) -> Bool {
        let start = Array(data.prefix(4))
        return start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF]) || start.starts(with: [0, 0, 0xFE, 0xFF])
    }

    public static func isUTF8Name(_ name: String?) -> Bool {
        guard let name else { return true }
        let lower = name.lowercased()
        return lower == "utf-8" || lower == "utf8"
    }

    /// Nil when `data` is valid UTF-8. Otherwise a copy in which every byte that is not part of a
    /// valid UTF-8 sequence is replaced by the windows-1252 character of that byte (what such
    /// bytes almost always are: a Latin-1/windows-1252 fragment pasted into a UTF-8 page), and
    /// how many bytes were replaced. Valid multi-byte characters are kept as they are.
    public static func repairingUTF8(_ data: Data) -> (data: Data, replaced: Int)? {
        data.withUnsafeBytes { raw -> (Data, Int)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let firstBad = firstInvalidUTF8(bytes, from: 0) else { return nil }
            var output = [UInt8]()
            output.reserveCapacity(bytes.count + 64)
            output.append(contentsOf: bytes[0..<firstBad])
            var index = firstBad
            var replaced = 0
            while index < bytes.count {
                let length = validSequenceLength(bytes, at: index)
                if length > 0 {
                    output.append(contentsOf: bytes[index..<index + length])
                    index += length
                } else {
                    output.append(contentsOf: Array(String(windows1252Scalar(bytes[index])).utf8))
                    replaced += 1
                    index += 1
                }
            }
            return (Data(output), replaced)
        }
    }

    public static func isValidUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { firstInvalidUTF8($0.bindMemory(to: UInt8.self), from: 0) == nil }
    }

    private static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress.map(UnsafeRawPointer.init) else { return nil }
        var index = start
        while index < bytes.count {
            // Feeds are mostly ASCII: 32, then 8 bytes at a time while none has its high bit set.
            if index + 32 <= bytes.count,
                (base.loadUnaligned(fromByteOffset: index, as: UInt64.self) | base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)) & 0x8080_8080_8080_8080 == 0
            {
                index += 32
                continue
            }
            if index + 8 <= bytes.count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            if length == 0 { return index }
            index += length
        }
        return nil
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0.
    private static func validSequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var minimumSecond: UInt8 = 0x80
        var maximumSecond: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; minimumSecond = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; maximumSecond = 0x9F
        case 0xF0: length = 4; minimumSecond = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; maximumSecond = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        guard (minimumSecond...maximumSecond).contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }

    private static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar {
        let table: [UInt8: Unicode.Scalar] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
            0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
            0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        // The five bytes windows-1252 leaves undefined become U+FFFD rather than control characters.
        if (0x80...0x9F).contains(byte) { return table[byte] ?? "\u{FFFD}" }
        return Unicode.Scalar(byte)
    }
}
