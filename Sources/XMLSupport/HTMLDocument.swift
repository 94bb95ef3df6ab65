import CLibXML2
import Foundation

/// An element copied out of an `HTMLDocument`: no pointer into libxml2 survives the call that made it.
public struct HTMLElement: Sendable, Equatable {
    /// The tag name, lower-cased as libxml2's HTML parser reports it.
    public var name: String
    /// Attributes in document order; names lower-cased, values with entities decoded.
    public var attributes: [(name: String, value: String)]
    /// The element's text content, every descendant text node joined, whitespace untouched.
    public var text: String

    public init(name: String, attributes: [(name: String, value: String)], text: String) {
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public subscript(attribute: String) -> String? {
        let wanted = attribute.lowercased()
        return attributes.first { $0.name == wanted }?.value
    }

    public static func == (lhs: HTMLElement, rhs: HTMLElement) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text && lhs.attributes.elementsEqual(rhs.attributes) { $0 == $1 }
    }
}

/// An XPath expression libxml2 refused to compile.
public struct XPathError: Error, Equatable, CustomStringConvertible {
    public let expression: String
    public var description: String { "invalid XPath expression '\(expression)'" }
}

/// An HTML page parsed by libxml2's forgiving HTML parser, queried with XPath 1.0.
///
/// The options keep hostile pages inert: recovery (so tag soup still yields a tree), no network,
/// no error output, and never entity substitution or `HUGE`, so libxml2's size limits stay on.
/// Queries return Swift values only; the tree is freed with the document.
public final class HTMLDocument {
    private let document: htmlDocPtr
    /// The encoding libxml2 decoded the page with (the override, a BOM or `<meta charset>`).
    public let encoding: String?

    static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// Parses `data`. Returns nil only when libxml2 produced no document at all (empty input).
    /// - Parameters:
    ///   - url: the page's address, kept by libxml2 as the document URL (used for nothing else).
    ///   - encoding: an encoding that overrides the page's own (e.g. the HTTP charset).
    public init?(data: Data, url: String? = nil, encoding: String? = nil) {
        LibXML2.initialize()
        parallax_silence_generic_errors()
        guard !data.isEmpty, data.count <= Int(Int32.max), let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        let parsed = data.withUnsafeBytes { raw -> htmlDocPtr? in
            htmlCtxtReadMemory(
                context, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), url, encoding, Self.options)
        }
        guard let parsed else { return nil }
        document = parsed
        self.encoding = parsed.pointee.encoding.map { String(cString: $0) }
    }

    deinit { xmlFreeDoc(document) }

    /// The elements (or, for attribute and text nodes, their parent-less snapshots) that
    /// `xpath` selects from the document root.
    public func select(_ xpath: String) throws(XPathError) -> [HTMLElement] {
        try withNodes(xpath) { nodes in nodes.map(Self.snapshot) }
    }

    /// The first element `xpath` selects, or nil.
    public func first(_ xpath: String) throws(XPathError) -> HTMLElement? {
        try select(xpath).first
    }

    /// The string values of what `xpath` selects: each node's text (an attribute's value), or the
    /// single result of an expression such as `string(//title)` or `count(//a)`.
    public func strings(_ xpath: String) throws(XPathError) -> [String] {
        try Compiled(xpath).strings(in: document, relativeTo: nil)
    }

    /// For every node `itemXPath` selects, the string values of each field's XPath evaluated
    /// relative to that node (`./a/@href`, `.//cite`, `string(../@id)`), keyed like `fields`.
    public func records(item itemXPath: String, fields: [String: String]) throws(XPathError) -> [[String: [String]]] {
        var compiled: [String: Compiled] = [:]
        for (key, expression) in fields { compiled[key] = try Compiled(expression) }
        return try withNodes(itemXPath) { nodes in
            nodes.map { node in compiled.mapValues { $0.strings(in: document, relativeTo: node) } }
        }
    }

    // MARK: - libxml2

    private func withNodes<T>(_ xpath: String, _ body: ([xmlNodePtr]) -> T) throws(XPathError) -> T {
        try Compiled(xpath).withResult(in: document, relativeTo: nil) { result in
            guard let result, result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return body([]) }
            let nodes = (0..<Int(set.pointee.nodeNr)).compactMap { set.pointee.nodeTab[$0] }
            return body(nodes)
        }
    }

    /// A compiled XPath expression, freed when it goes.
    private final class Compiled {
        let expression: xmlXPathCompExprPtr

        init(_ text: String) throws(XPathError) {
            LibXML2.initialize()
            // A context only to keep compile errors out of stderr; compiling needs no document.
            let context = xmlXPathNewContext(nil)
            defer { xmlXPathFreeContext(context) }
            context?.pointee.error = { _, _ in }
            guard let compiled = xmlXPathCtxtCompile(context, text) else { throw XPathError(expression: text) }
            expression = compiled
        }

        deinit { xmlXPathFreeCompExpr(expression) }

        func withResult<T>(in document: htmlDocPtr, relativeTo node: xmlNodePtr?, _ body: (xmlXPathObjectPtr?) -> T) -> T {
            guard let context = xmlXPathNewContext(document) else { return body(nil) }
            defer { xmlXPathFreeContext(context) }
            context.pointee.error = { _, _ in }
            context.pointee.node = node ?? UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self)
            let result = xmlXPathCompiledEval(expression, context)
            defer { if let result { xmlXPathFreeObject(result) } }
            return body(result)
        }

        func strings(in document: htmlDocPtr, relativeTo node: xmlNodePtr?) -> [String] {
            withResult(in: document, relativeTo: node) { result in
                guard let result else { return [] }
                switch result.pointee.type {
                case XPATH_NODESET:
                    guard let set = result.pointee.nodesetval else { return [] }
                    return (0..<Int(set.pointee.nodeNr)).compactMap { set.pointee.nodeTab[$0] }.map(HTMLDocument.textContent)
                default:
                    guard let value = xmlXPathCastToString(result) else { return [] }
                    defer { parallax_xmlFree(value) }
                    return [String(cString: value)]
                }
            }
        }
    }

    static func textContent(_ node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { parallax_xmlFree(content) }
        return String(cString: content)
    }

    static func snapshot(_ node: xmlNodePtr) -> HTMLElement {
        let name = node.pointee.name.map { String(cString: $0) } ?? ""
        var attributes: [(name: String, value: String)] = []
        if node.pointee.type == XML_ELEMENT_NODE {
            var attribute = node.pointee.properties
            while let current = attribute {
                let attributeName = current.pointee.name.map { String(cString: $0) } ?? ""
                let value = UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)
                attributes.append((attributeName.lowercased(), textContent(value)))
                attribute = current.pointee.next
            }
        }
        return HTMLElement(name: name.lowercased(), attributes: attributes, text: textContent(node))
    }
}
