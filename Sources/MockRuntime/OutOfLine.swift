/// A record kept out of line: 8 bytes where it is stored, its fields in one copy-on-write box,
/// read and changed as if they were its own (`record.state = .exited`, through dynamic member
/// lookup). The mock's tables are dictionaries with up to twice as many buckets as records, each
/// bucket holding its value inline: 2,000 containers of about 400 bytes took 1.7 MB where the
/// boxes take 0.9. Copies share the box until one is changed, so a ``NodeState`` snapshot stays
/// as it was taken. Coded and compared as its fields (the persisted JSON is unchanged).
@dynamicMemberLookup
struct OutOfLine<Fields: Sendable & Codable & Hashable>: Sendable, Codable, Hashable {
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    init(_ fields: Fields) { box = Box(fields) }

    /// All the fields, as one value.
    var fields: Fields {
        _read { yield box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    subscript<T>(dynamicMember path: WritableKeyPath<Fields, T>) -> T {
        _read { yield box.fields[keyPath: path] }
        _modify { yield &fields[keyPath: path] }
    }

    subscript<T>(dynamicMember path: KeyPath<Fields, T>) -> T { box.fields[keyPath: path] }

    init(from decoder: any Decoder) throws { self.init(try Fields(from: decoder)) }

    func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

    func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }
}
