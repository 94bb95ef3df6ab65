import CLibXML2
import Synchronization

/// Process-wide libxml2 set-up. `xmlInitParser` is called once; `xmlCleanupParser` never is,
/// because other threads may still be parsing when any one caller finishes.
enum LibXML2 {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func initialize() { _ = initialized }
}

/// HTML named entities (`&nbsp;`, `&eacute;`, …) that feeds use without declaring them.
/// In text each becomes a "predefined" entity, which libxml2 inlines as text and never expands
/// further. Inside an attribute value libxml2 2.9 copies only the first *byte* of a predefined
/// entity (it assumes the five single-byte XML ones), which would cut `&eacute;` to half a UTF-8
/// sequence; there the same character is handed out as an internal entity whose literal content
/// libxml2 copies whole (it contains no reference, so nothing can expand). The entities are
/// created on first use and kept for the life of the process: at most twice the ~250 names
/// libxml2's HTML table knows, so the memory is bounded.
enum NamedEntityTable {
    private struct EntityPointer: @unchecked Sendable { let pointer: xmlEntityPtr }
    private struct Key: Hashable { let name: String; let inAttributeValue: Bool }
    private static let cache = Mutex<[Key: EntityPointer]>([:])

    static func entity(named cName: UnsafePointer<xmlChar>, inAttributeValue: Bool = false) -> xmlEntityPtr? {
        if let predefined = xmlGetPredefinedEntity(cName) { return predefined }
        let key = Key(name: String(cString: cName), inAttributeValue: inAttributeValue)
        let found = cache.withLock { cache -> EntityPointer? in
            if let known = cache[key] { return known }
            guard let description = htmlEntityLookup(cName),
                let scalar = Unicode.Scalar(description.pointee.value)
            else { return nil }
            let entity = xmlEntityPtr.allocate(capacity: 1)
            entity.initialize(to: xmlEntity())
            entity.pointee.type = XML_ENTITY_DECL
            entity.pointee.etype = inAttributeValue ? XML_INTERNAL_GENERAL_ENTITY : XML_INTERNAL_PREDEFINED_ENTITY
            entity.pointee.name = UnsafePointer(xmlStrdup(cName))
            let content = String(scalar)
            entity.pointee.content = content.withCString { xmlStrdup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
            entity.pointee.orig = xmlStrdup(entity.pointee.content)
            entity.pointee.length = Int32(content.utf8.count)
            cache[key] = EntityPointer(pointer: entity)
            return EntityPointer(pointer: entity)
        }
        return found?.pointer
    }
}
