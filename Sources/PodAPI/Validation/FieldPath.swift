/// A field path as apimachinery's `field.Path` renders it: `spec.containers[0].name`,
/// `metadata.labels[app]` for map keys.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    private enum Element: Hashable, Sendable {
        case child(String)
        case index(Int)
        case key(String)
    }

    private var elements: [Element]

    /// A root path of one or more dotted children, e.g. `FieldPath("spec", "containers")`.
    public init(_ names: String...) { elements = names.map { .child($0) } }

    /// `path.Child(name)`.
    public func child(_ name: String) -> FieldPath {
        var p = self
        p.elements.append(.child(name))
        return p
    }
    /// `path.Index(i)`.
    public func index(_ i: Int) -> FieldPath {
        var p = self
        p.elements.append(.index(i))
        return p
    }
    /// `path.Key(k)`.
    public func key(_ k: String) -> FieldPath {
        var p = self
        p.elements.append(.key(k))
        return p
    }

    public var description: String {
        var s = ""
        for e in elements {
            switch e {
            case .child(let n): s += s.isEmpty ? n : ".\(n)"
            case .index(let i): s += "[\(i)]"
            case .key(let k): s += "[\(k)]"
            }
        }
        return s
    }
}
