import Foundation

/// The values a feedparser `Expect:` expression works with.
indirect enum PyValue: Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([PyValue])
    case dict([String: PyValue])

    var isTrue: Bool {
        switch self {
        case .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .float(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let value): !value.isEmpty
        case .dict(let value): !value.isEmpty
        }
    }
}

/// Why an expression could not be evaluated against Parallax's result.
enum PyError: Error, Equatable {
    /// A key or name the result does not have: a field Parallax does not model, or one it missed.
    case missing(String)
    /// A top-level name the result does not have (`headers`, `status`, …).
    case unknownName(String)
    /// Syntax or operations outside the small subset the suite uses.
    case unsupported(String)
}

/// A small evaluator for the Python expressions of feedparser's `Expect:` lines: literals
/// (strings with escapes, numbers, tuples, lists, dicts, None/True/False), subscripts, attribute
/// access on dicts, `.get`, `.has_key`, `len`, `ord`, `locals()`, `not`/`and`/`or`, chained
/// `==`/`!=`/`is`/`is not`/`in`. String equality is passed to `equal`, so the caller decides
/// what counts as the same text.
struct PythonExpression {
    private var tokens: [Token]
    private var position = 0
    private let names: [String: PyValue]
    private let equal: (String, String) -> Bool

    enum Token: Equatable {
        case name(String)
        case string(String)
        case number(PyValue)
        case symbol(String)
    }

    static func evaluate(_ source: String, names: [String: PyValue], equal: @escaping (String, String) -> Bool) throws(PyError) -> PyValue {
        var parser = PythonExpression(tokens: try tokenize(source), names: names, equal: equal)
        let value = try parser.orExpression()
        guard parser.position == parser.tokens.count else { throw .unsupported("trailing input in \(source)") }
        return value
    }

    private init(tokens: [Token], names: [String: PyValue], equal: @escaping (String, String) -> Bool) {
        self.tokens = tokens
        self.names = names
        self.equal = equal
    }

    // MARK: - Grammar

    private var current: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func accept(_ symbol: String) -> Bool {
        if current == .symbol(symbol) || current == .name(symbol) {
            position += 1
            return true
        }
        return false
    }

    private mutating func expect(_ symbol: String) throws(PyError) {
        guard accept(symbol) else { throw .unsupported("expected '\(symbol)'") }
    }

    // `and`/`or` evaluate both sides: a missing key on either side makes the expectation not
    // applicable rather than silently short-circuited away.
    private mutating func orExpression() throws(PyError) -> PyValue {
        var value = try andExpression()
        while accept("or") {
            let right = try andExpression()
            value = value.isTrue ? value : right
        }
        return value
    }

    private mutating func andExpression() throws(PyError) -> PyValue {
        var value = try notExpression()
        while accept("and") {
            let right = try notExpression()
            value = value.isTrue ? right : value
        }
        return value
    }

    private mutating func notExpression() throws(PyError) -> PyValue {
        if accept("not") { return .bool(!(try notExpression()).isTrue) }
        return try comparison()
    }

    private mutating func comparison() throws(PyError) -> PyValue {
        var left = try unary()
        var result = true
        var compared = false
        while true {
            let operation: String
            if accept("==") { operation = "==" }
            else if accept("!=") { operation = "!=" }
            else if accept("in") { operation = "in" }
            else if accept("is") { operation = accept("not") ? "is not" : "is" }
            else if current == .name("not"), position + 1 < tokens.count, tokens[position + 1] == .name("in") {
                position += 2
                operation = "not in"
            } else { break }
            let right = try unary()
            compared = true
            let holds: Bool
            switch operation {
            case "==", "is": holds = same(left, right)
            case "!=", "is not": holds = !same(left, right)
            case "in": holds = try contains(right, left)
            default: holds = !(try contains(right, left))
            }
            result = result && holds
            left = right
        }
        return compared ? .bool(result) : left
    }

    private func same(_ a: PyValue, _ b: PyValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): equal(x, y)
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): Double(x) == y
        case (.bool(let x), .int(let y)), (.int(let y), .bool(let x)): (x ? 1 : 0) == y
        case (.list(let x), .list(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.dict(let x), .dict(let y)):
            x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: a == b
        }
    }

    private func contains(_ container: PyValue, _ element: PyValue) throws(PyError) -> Bool {
        switch (container, element) {
        case (.string(let text), .string(let part)): return text.contains(part)
        case (.list(let values), _): return values.contains { same($0, element) }
        case (.dict(let values), .string(let key)): return values[key] != nil
        default: throw .unsupported("'in' on these values")
        }
    }

    private mutating func unary() throws(PyError) -> PyValue {
        if accept("-") {
            switch try unary() {
            case .int(let value): return .int(-value)
            case .float(let value): return .float(-value)
            default: throw .unsupported("unary minus")
            }
        }
        return try postfix()
    }

    private mutating func postfix() throws(PyError) -> PyValue {
        var value = try atom()
        while true {
            if accept("[") {
                let index = try orExpression()
                try expect("]")
                value = try subscriptValue(value, index)
            } else if accept(".") {
                guard case .name(let member)? = current else { throw .unsupported("attribute name") }
                position += 1
                if accept("(") {
                    let arguments = try argumentList()
                    value = try method(value, member, arguments)
                } else {
                    value = try subscriptValue(value, .string(member))
                }
            } else {
                return value
            }
        }
    }

    private mutating func argumentList() throws(PyError) -> [PyValue] {
        var arguments: [PyValue] = []
        if accept(")") { return arguments }
        repeat { arguments.append(try orExpression()) } while accept(",")
        try expect(")")
        return arguments
    }

    private func subscriptValue(_ value: PyValue, _ index: PyValue) throws(PyError) -> PyValue {
        switch (value, index) {
        case (.dict(let values), .string(let key)):
            guard let found = values[key] else { throw .missing(key) }
            return found
        case (.list(let values), .int(let offset)):
            let resolved = offset < 0 ? values.count + offset : offset
            guard values.indices.contains(resolved) else { throw .missing("[\(offset)]") }
            return values[resolved]
        case (.string(let text), .int(let offset)):
            let characters = Array(text)
            let resolved = offset < 0 ? characters.count + offset : offset
            guard characters.indices.contains(resolved) else { throw .missing("[\(offset)]") }
            return .string(String(characters[resolved]))
        default:
            throw .unsupported("subscript")
        }
    }

    private func method(_ value: PyValue, _ name: String, _ arguments: [PyValue]) throws(PyError) -> PyValue {
        guard case .dict(let values) = value else { throw .unsupported("method \(name) on a non-dict") }
        switch (name, arguments.first) {
        case ("get", .string(let key)?): return values[key] ?? (arguments.count > 1 ? arguments[1] : .none)
        case ("has_key", .string(let key)?): return .bool(values[key] != nil)
        case ("keys", nil): return .list(values.keys.sorted().map(PyValue.string))
        default: throw .unsupported("method \(name)")
        }
    }

    private mutating func atom() throws(PyError) -> PyValue {
        guard let token = current else { throw .unsupported("unexpected end") }
        position += 1
        switch token {
        case .string(var text):
            // Adjacent literals concatenate, as in Python.
            while case .string(let more)? = current {
                text += more
                position += 1
            }
            return .string(text)
        case .number(let value):
            return value
        case .symbol("("):
            if accept(")") { return .list([]) }
            let first = try orExpression()
            if accept(")") { return first }
            var values = [first]
            while accept(",") {
                if current == .symbol(")") { break }
                values.append(try orExpression())
            }
            try expect(")")
            return .list(values)
        case .symbol("["):
            var values: [PyValue] = []
            while !accept("]") {
                values.append(try orExpression())
                if !accept(",") {
                    try expect("]")
                    break
                }
            }
            return .list(values)
        case .symbol("{"):
            var values: [String: PyValue] = [:]
            while !accept("}") {
                guard case .string(let key) = try orExpression() else { throw .unsupported("non-string dict key") }
                try expect(":")
                values[key] = try orExpression()
                if !accept(",") {
                    try expect("}")
                    break
                }
            }
            return .dict(values)
        case .name("None"): return .none
        case .name("True"): return .bool(true)
        case .name("False"): return .bool(false)
        case .name(let function) where ["len", "ord", "locals"].contains(function) && current == .symbol("("):
            position += 1
            let arguments = try argumentList()
            switch (function, arguments.first) {
            case ("locals", nil): return .dict(names)
            case ("len", .string(let text)?): return .int(text.count)
            case ("len", .list(let values)?): return .int(values.count)
            case ("len", .dict(let values)?): return .int(values.count)
            case ("ord", .string(let text)?) where text.unicodeScalars.count == 1: return .int(Int(text.unicodeScalars.first!.value))
            default: throw .unsupported("\(function)()")
            }
        case .name(let name):
            guard let value = names[name] else { throw .unknownName(name) }
            return value
        case .symbol(let symbol):
            throw .unsupported("'\(symbol)'")
        }
    }

    // MARK: - Tokens

    private static func tokenize(_ source: String) throws(PyError) -> [Token] {
        let scalars = Array(source.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func isNameStart(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || scalar.properties.isAlphabetic }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "'" || scalar == "\"" || (["u", "U", "r", "R", "b", "B"].contains(scalar) && index + 1 < scalars.count && (scalars[index + 1] == "'" || scalars[index + 1] == "\"")) {
                let raw = scalar == "r" || scalar == "R"
                if scalar != "'" && scalar != "\"" { index += 1 }
                let quote = scalars[index]
                let triple = index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote
                index += triple ? 3 : 1
                var text = String.UnicodeScalarView()
                while true {
                    guard index < scalars.count else { throw .unsupported("unterminated string") }
                    let character = scalars[index]
                    if character == quote && (!triple || (index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote)) {
                        index += triple ? 3 : 1
                        break
                    }
                    if character == "\\" && !raw && index + 1 < scalars.count {
                        let (decoded, length) = try escape(scalars, at: index + 1)
                        text.append(contentsOf: decoded)
                        index += 1 + length
                    } else {
                        text.append(character)
                        index += 1
                    }
                }
                tokens.append(.string(String(text)))
            } else if scalar.properties.numericType != nil && ("0"..."9").contains(scalar) || (scalar == "." && index + 1 < scalars.count && ("0"..."9").contains(scalars[index + 1])) {
                var end = index
                while end < scalars.count, ("0"..."9").contains(scalars[end]) || scalars[end] == "." || scalars[end] == "e" || scalars[end] == "x" || scalars[end] == "L" || ("a"..."f").contains(scalars[end]) {
                    end += 1
                }
                let literal = String(String.UnicodeScalarView(scalars[index..<end])).replacingOccurrences(of: "L", with: "")
                if literal.hasPrefix("0x"), let value = Int(literal.dropFirst(2), radix: 16) {
                    tokens.append(.number(.int(value)))
                } else if let value = Int(literal) {
                    tokens.append(.number(.int(value)))
                } else if let value = Double(literal) {
                    tokens.append(.number(.float(value)))
                } else {
                    throw .unsupported("number \(literal)")
                }
                index = end
            } else if isNameStart(scalar) {
                var end = index
                while end < scalars.count, isNameStart(scalars[end]) || ("0"..."9").contains(scalars[end]) { end += 1 }
                tokens.append(.name(String(String.UnicodeScalarView(scalars[index..<end]))))
                index = end
            } else {
                let two = index + 1 < scalars.count ? String(String.UnicodeScalarView(scalars[index...index + 1])) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append(.symbol(two))
                    index += 2
                } else if "()[]{},:.-<>".unicodeScalars.contains(scalar) {
                    tokens.append(.symbol(String(scalar)))
                    index += 1
                } else {
                    throw .unsupported("character \(scalar)")
                }
            }
        }
        return tokens
    }

    /// A backslash escape starting after the backslash: its scalars and how many source scalars it used.
    private static func escape(_ scalars: [Unicode.Scalar], at index: Int) throws(PyError) -> ([Unicode.Scalar], Int) {
        func hex(_ count: Int) throws(PyError) -> ([Unicode.Scalar], Int) {
            guard index + count < scalars.count,
                let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 1)...(index + count)])), radix: 16),
                let scalar = Unicode.Scalar(value)
            else { throw .unsupported("bad escape") }
            return ([scalar], count + 1)
        }
        switch scalars[index] {
        case "n": return (["\n"], 1)
        case "t": return (["\t"], 1)
        case "r": return (["\r"], 1)
        case "0"..."7":
            var end = index
            while end < scalars.count, end < index + 3, ("0"..."7").contains(scalars[end]) { end += 1 }
            let value = UInt32(String(String.UnicodeScalarView(scalars[index..<end])), radix: 8) ?? 0
            return ([Unicode.Scalar(value) ?? "\0"], end - index)
        case "x": return try hex(2)
        case "u": return try hex(4)
        case "U": return try hex(8)
        case "\n": return ([], 1)
        case let other where other == "\\" || other == "'" || other == "\"": return ([other], 1)
        default: return (["\\", scalars[index]], 1)
        }
    }
}
