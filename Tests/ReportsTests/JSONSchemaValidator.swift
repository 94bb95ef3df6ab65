import Foundation

/// A JSON value as the schema tests see it: booleans and integers kept apart.
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }
}

/// The part of JSON Schema 2020-12 the repository's schemas use. A keyword it does not know is
/// an error, so a schema can never pass by being misread.
struct JSONSchemaValidator {
    let root: JSONValue

    static let known: Set<String> = [
        "$schema", "$id", "title", "description", "$defs", "type", "properties", "required", "additionalProperties",
        "items", "enum", "const", "minimum", "maximum", "pattern", "format", "$ref", "maxItems", "minLength",
    ]

    func errors(_ value: JSONValue) -> [String] { validate(value, against: root, at: "$") }

    private func validate(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        guard case .object(let keywords) = schema else { return ["\(path): schema is not an object"] }
        var errors: [String] = []
        for key in keywords.keys where !Self.known.contains(key) { errors.append("\(path): unsupported keyword \(key)") }
        if case .string(let reference)? = keywords["$ref"] {
            guard reference.hasPrefix("#/$defs/"), case .object(let defs)? = object(root)["$defs"],
                let target = defs[String(reference.dropFirst(8))]
            else { return errors + ["\(path): unresolved $ref \(reference)"] }
            errors += validate(value, against: target, at: path)
        }
        if let type = keywords["type"] {
            let allowed: [String] = switch type {
            case .string(let name): [name]
            case .array(let names): names.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default: []
            }
            if !allowed.contains(where: { matches(value, type: $0) }) { errors.append("\(path): expected \(allowed), got \(value)") }
        }
        if case .array(let options)? = keywords["enum"], !options.contains(value) { errors.append("\(path): \(value) is not one of \(options)") }
        if let constant = keywords["const"], constant != value { errors.append("\(path): expected \(constant), got \(value)") }
        if let number = numeric(value) {
            if let minimum = keywords["minimum"].flatMap(numeric), number < minimum { errors.append("\(path): \(number) < \(minimum)") }
            if let maximum = keywords["maximum"].flatMap(numeric), number > maximum { errors.append("\(path): \(number) > \(maximum)") }
        }
        if case .string(let text) = value {
            if let minimum = keywords["minLength"].flatMap(numeric), Double(text.count) < minimum { errors.append("\(path): '\(text)' is shorter than \(minimum)") }
            if case .string(let pattern)? = keywords["pattern"], ((try? Regex(pattern)).flatMap { try? $0.firstMatch(in: text) }) == nil {
                errors.append("\(path): '\(text)' does not match \(pattern)")
            }
            if case .string("date-time")? = keywords["format"], (try? Date.ISO8601FormatStyle().parse(text)) == nil {
                errors.append("\(path): '\(text)' is not an ISO 8601 date-time")
            }
        }
        if case .object(let members) = value {
            let properties = object(keywords["properties"] ?? .object([:]))
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where members[name] == nil { errors.append("\(path): missing \(name)") }
            }
            for (name, member) in members {
                if let property = properties[name] {
                    errors += validate(member, against: property, at: "\(path).\(name)")
                } else if let additional = keywords["additionalProperties"] {
                    if additional == .bool(false) {
                        errors.append("\(path): unexpected key \(name)")
                    } else if additional != .bool(true) {
                        errors += validate(member, against: additional, at: "\(path).\(name)")
                    }
                }
            }
        }
        if case .array(let items) = value, let maximum = keywords["maxItems"].flatMap(numeric), Double(items.count) > maximum {
            errors.append("\(path): \(items.count) items, more than \(maximum)")
        }
        if case .array(let items) = value, let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() { errors += validate(item, against: itemSchema, at: "\(path)[\(index)]") }
        }
        return errors
    }

    private func object(_ value: JSONValue) -> [String: JSONValue] {
        if case .object(let members) = value { members } else { [:] }
    }

    private func numeric(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .number(let number): number
        default: nil
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number),
            ("string", .string), ("array", .array), ("object", .object):
            true
        default: false
        }
    }
}
