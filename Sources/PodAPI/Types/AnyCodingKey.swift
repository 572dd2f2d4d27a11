import Foundation

/// A coding key made at run time, for the bags of known-but-unmodelled fields.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer where K == AnyCodingKey {
    /// Decodes every key not in `typed` into a bag of raw JSON values.
    func decodeBag(excluding typed: Set<String>) throws -> [String: JSONValue] {
        var bag: [String: JSONValue] = [:]
        for key in allKeys where !typed.contains(key.stringValue) {
            let v = try decode(JSONValue.self, forKey: key)
            if v != .null { bag[key.stringValue] = v }
        }
        return bag
    }
}

extension KeyedEncodingContainer where K == AnyCodingKey {
    mutating func encodeBag(_ bag: [String: JSONValue]) throws {
        for (k, v) in bag { try encode(v, forKey: AnyCodingKey(k)) }
    }
}
