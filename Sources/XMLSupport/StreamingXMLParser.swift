import CLibXML2
import Foundation

/// A qualified element or attribute name as the document spelled it, with its namespace resolved.
public struct XMLName: Sendable, Hashable, CustomStringConvertible {
    public let namespace: String?
    public let localName: String
    /// The name's number in the parse that reported it: each distinct name of a document gets
    /// one small number (0, 1, 2, …), so a handler can keep what it works out about a name in
    /// an array indexed by it instead of comparing strings per element. Nil for names made
    /// elsewhere. Not part of equality: two names are equal when they are spelled the same.
    public let parseIndex: Int?

    public init(namespace: String?, localName: String) {
        self.init(namespace: namespace, localName: localName, parseIndex: nil)
    }

    init(namespace: String?, localName: String, parseIndex: Int?) {
        self.namespace = namespace
        self.localName = localName
        self.parseIndex = parseIndex
    }

    public static func == (lhs: XMLName, rhs: XMLName) -> Bool {
        lhs.namespace == rhs.namespace && lhs.localName == rhs.localName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hasher.combine(localName)
    }

    public var description: String {
        namespace.map { "{\($0)}\(localName)" } ?? localName
    }
}

public struct XMLAttribute: Sendable, Hashable {
    public let name: XMLName
    public let value: String
}

/// What a streaming parse reports back besides the events: the problems libxml2 found.
/// A document with problems still delivers every event libxml2 could recover (feedparser's "bozo").
public struct XMLParseReport: Sendable, Equatable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// The encoding libxml2 decoded the input with (from the BOM, the XML declaration or the override).
    public var encoding: String?
    public var problems: [Problem] = []
    /// Problems beyond `maximumRecordedProblems` are counted here but not kept.
    public var unrecordedProblemCount = 0

    public var isWellFormed: Bool { problems.isEmpty && unrecordedProblemCount == 0 }
}

/// Receives the events of a streaming parse. Text arrives coalesced: consecutive character data
/// and CDATA chunks between two element boundaries come as one `text` call.
public protocol XMLStreamHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: [XMLAttribute])
    func endElement(_ name: XMLName)
    /// Character data as valid UTF-8 (libxml2 has decoded and checked it), as bytes so that a
    /// handler can gather the text of a whole element and make one String of what it keeps.
    /// The parser reuses its buffer for the next text: a handler appends the bytes to its own
    /// (keeping the array itself would only make the parser copy its buffer).
    func text(_ utf8: [UInt8])
    /// Whether text at this point would be used. Text is only buffered and decoded while this
    /// is true, which spares most of the work on the whitespace and fields a handler ignores.
    /// Asked at the start and after each element boundary, so it may change only in
    /// `startElement` and `endElement`.
    var wantsText: Bool { get }
}

extension XMLStreamHandler {
    public var wantsText: Bool { true }
}

/// Streaming XML parsing on libxml2's SAX2 interface with options that keep hostile input inert:
/// no network, no DTD loading, no entity expansion beyond the XML predefined and HTML named
/// entities (so billion-laughs, quadratic blow-up and XXE have nothing to expand), and recovery
/// so one bad byte does not lose a feed.
public enum StreamingXMLParser {
    public static let maximumRecordedProblems = 50
    static let chunkSize = 256 * 1024

    /// Parses `bytes` synchronously, delivering events to `handler`.
    /// - Parameters:
    ///   - documentURL: used only in libxml2's messages and for nothing else.
    ///   - encoding: an encoding that overrides the document's own declaration (e.g. from HTTP).
    public static func parse(
        _ bytes: some Collection<UInt8>,
        documentURL: String? = nil,
        encoding: String? = nil,
        handler: XMLStreamHandler
    ) -> XMLParseReport {
        LibXML2.initialize()
        parallax_silence_generic_errors()

        var session = ParseSession(handler: handler)
        return withUnsafeMutablePointer(to: &session) { session in
            var sax = makeSAXHandler()
            guard let context = xmlCreatePushParserCtxt(&sax, UnsafeMutableRawPointer(session), nil, 0, documentURL) else {
                session.pointee.report.problems.append(.init(line: 0, column: 0, message: "libxml2 could not create a parser"))
                return session.pointee.report
            }
            defer { xmlFreeParserCtxt(context) }
            session.pointee.context = context
            if let encoding {
                // Reset with the override so libxml2 decodes with it from the first byte on.
                xmlCtxtResetPush(context, nil, 0, documentURL, encoding)
            }
            // An override wins over the document's declaration (RFC 7303 §3.2): without this flag
            // libxml2 would switch to the declared decoder when it reads the declaration.
            xmlCtxtUseOptions(context, Int32(safeOptions.rawValue | (encoding != nil ? XML_PARSE_IGNORE_ENC.rawValue : 0)))

            func parseChunks(_ buffer: UnsafeBufferPointer<UInt8>) {
                var offset = 0
                repeat {
                    let length = min(chunkSize, buffer.count - offset)
                    let start = buffer.baseAddress.map { UnsafeRawPointer($0 + offset).assumingMemoryBound(to: CChar.self) }
                    let isLast: Int32 = offset + length >= buffer.count ? 1 : 0
                    xmlParseChunk(context, start, Int32(length), isLast)
                    offset += length
                    if context.pointee.disableSAX != 0 { break }
                } while offset < buffer.count
            }
            // Data and arrays are read in place; only other collections are copied first.
            if bytes.withContiguousStorageIfAvailable(parseChunks) == nil {
                Array(bytes).withUnsafeBufferPointer(parseChunks)
            }
            session.pointee.flushText()
            if let name = context.pointee.encoding ?? context.pointee.input?.pointee.encoding {
                session.pointee.report.encoding = String(cString: name)
            } else {
                session.pointee.report.encoding = "UTF-8"
            }
            return session.pointee.report
        }
    }

    /// `XML_PARSE_NOENT` makes libxml2 substitute entities, which with its default handlers would
    /// read external entities (local files even under `XML_PARSE_NONET`). Here it is safe and
    /// needed: our `getEntity` returns only predefined and HTML named entities and there is no
    /// `entityDecl` or `externalSubset` handler, so no declared entity can ever be found; without
    /// it libxml2 hands `&amp;` in attribute values back as "&#38;". `XML_PARSE_HUGE` is absent
    /// so libxml2's own size and depth limits stay in force.
    static let safeOptions = xmlParserOption(
        XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOENT.rawValue
    )

    private static func makeSAXHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { userData, localName, _, namespaceURI, _, _, attributeCount, _, attributes in
            guard let userData, let localName else { return }
            // Five pointers per attribute: localname, prefix, URI, value start, value end.
            let attributes = attributes.map { UnsafeBufferPointer(start: $0, count: 5 * max(0, Int(attributeCount))) }
            ParseSession.at(userData).pointee.startElement(localName, namespaceURI, attributes: attributes)
        }
        sax.endElementNs = { userData, localName, _, namespaceURI in
            guard let userData, let localName else { return }
            ParseSession.at(userData).pointee.endElement(localName, namespaceURI)
        }
        sax.characters = { userData, characters, length in
            guard let userData, let characters, length > 0 else { return }
            ParseSession.at(userData).pointee.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        sax.cdataBlock = sax.characters
        // Only predefined and HTML named entities resolve; declared ones (internal or external) never do.
        sax.getEntity = { userData, name in
            guard let name else { return nil }
            let inAttributeValue = userData.map { ParseSession.at($0).pointee.isInAttributeValue } ?? false
            return NamedEntityTable.entity(named: name, inAttributeValue: inAttributeValue)
        }
        sax.serror = { userData, error in
            guard let userData, let error else { return }
            ParseSession.at(userData).pointee.record(error.pointee)
        }
        return sax
    }
}

/// The per-parse state behind libxml2's `void *userData`: one per parse, never shared. It lives
/// on the stack of `parse`, which hands libxml2 a pointer to it for the parse's duration; the
/// callbacks reach it through that pointer, so they neither retain a session object nor pay a
/// run-time exclusivity check per chunk of text, as fields of a class would.
private struct ParseSession {
    let handler: XMLStreamHandler
    var context: xmlParserCtxtPtr?
    var report = XMLParseReport()
    /// Character data since the last element boundary, while the handler wants text.
    var pendingText: [UInt8] = []
    /// The handler's `wantsText`, asked again after every element boundary (the only events
    /// that change what it wants) rather than for every chunk of character data.
    var wantsText: Bool
    var names = NameCache()

    init(handler: XMLStreamHandler) {
        self.handler = handler
        wantsText = handler.wantsText
        pendingText.reserveCapacity(4096)
    }

    static func at(_ userData: UnsafeMutableRawPointer) -> UnsafeMutablePointer<ParseSession> {
        userData.assumingMemoryBound(to: ParseSession.self)
    }

    mutating func startElement(
        _ localName: UnsafePointer<xmlChar>, _ namespaceURI: UnsafePointer<xmlChar>?,
        attributes: UnsafeBufferPointer<UnsafePointer<xmlChar>?>?
    ) {
        flushText()
        keepEntitiesAfterRecoverableError()
        let name = names.name(localName, namespaceURI)
        var parsedAttributes: [XMLAttribute] = []
        if let attributes, !attributes.isEmpty {
            parsedAttributes.reserveCapacity(attributes.count / 5)
            for base in stride(from: 0, to: attributes.count, by: 5) {
                guard let attributeName = attributes[base], let valueStart = attributes[base + 3],
                    let valueEnd = attributes[base + 4]
                else { continue }
                let value = String(decoding: UnsafeBufferPointer(start: valueStart, count: valueEnd - valueStart), as: UTF8.self)
                parsedAttributes.append(XMLAttribute(name: names.name(attributeName, attributes[base + 2]), value: value))
            }
        }
        handler.startElement(name, attributes: parsedAttributes)
        wantsText = handler.wantsText
    }

    mutating func endElement(_ localName: UnsafePointer<xmlChar>, _ namespaceURI: UnsafePointer<xmlChar>?) {
        flushText()
        handler.endElement(names.name(localName, namespaceURI))
        wantsText = handler.wantsText
    }

    mutating func characters(_ characters: UnsafeBufferPointer<UInt8>) {
        keepEntitiesAfterRecoverableError()
        guard wantsText else { return }
        pendingText.append(contentsOf: characters)
    }

    /// True while libxml2 reads an attribute value, where named entities need their other form.
    var isInAttributeValue: Bool {
        guard let state = context?.pointee.instate else { return false }
        return state == XML_PARSER_ATTRIBUTE_VALUE || state == XML_PARSER_START_TAG
    }

    mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        handler.text(pendingText)
        pendingText.removeAll(keepingCapacity: true)
    }

    /// In recovery mode libxml2 silently drops every entity reference (even `&amp;`) once the
    /// document has been marked not well-formed. The problem is already recorded in `report`, so
    /// the flag is reset to keep the rest of the feed's text intact.
    func keepEntitiesAfterRecoverableError() {
        if let context, context.pointee.wellFormed == 0 {
            context.pointee.wellFormed = 1
        }
    }

    mutating func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        // The DTD is never processed (that is what keeps XXE out), so an entity it names but
        // could only define by loading another file is Parallax's choice, not a document error.
        if error.code == Int32(XML_ERR_UNDECLARED_ENTITY.rawValue), let context, context.pointee.inSubset != 0 { return }
        guard report.problems.count < StreamingXMLParser.maximumRecordedProblems else {
            report.unrecordedProblemCount += 1
            return
        }
        let message = error.message.map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error"
        report.problems.append(.init(line: Int(error.line), column: Int(error.int2), message: message))
    }
}

/// libxml2 interns element and attribute names in its per-parser dictionary (`ctxt->dict`), so
/// a pointer pair identifies a qualified name for the whole parse. Each distinct pair's
/// `XMLName` is made once, numbered in order of appearance, and found again by comparing the
/// two pointers in a small direct-mapped table (a dictionary behind it for the rare collision):
/// no String is built and nothing is hashed per element.
private struct NameCache {
    private struct Key: Hashable {
        let localName: UnsafePointer<xmlChar>
        let namespaceURI: UnsafePointer<xmlChar>?
    }

    private struct Slot {
        var key: Key?
        var index = 0
    }

    private static let size = 128
    private var slots = [Slot](repeating: Slot(), count: size)
    private var indexes: [Key: Int] = [:]
    private var names: [XMLName] = []

    mutating func name(_ localName: UnsafePointer<xmlChar>, _ namespaceURI: UnsafePointer<xmlChar>?) -> XMLName {
        let key = Key(localName: localName, namespaceURI: namespaceURI)
        // The dictionary packs strings next to each other, so the low bits of the address differ.
        let mixed = UInt(bitPattern: localName) &+ (namespaceURI.map { UInt(bitPattern: $0) } ?? 0) &* 31
        let slot = Int(mixed % UInt(Self.size))
        if slots[slot].key == key { return names[slots[slot].index] }
        let index: Int
        if let known = indexes[key] {
            index = known
        } else {
            index = names.count
            names.append(XMLName(namespace: namespaceURI.map { String(cString: $0) }, localName: String(cString: localName), parseIndex: index))
            indexes[key] = index
        }
        slots[slot] = Slot(key: key, index: index)
        return names[index]
    }
}
