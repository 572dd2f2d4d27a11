import PodAPI

/// Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), as the API
/// server applies it: objects merge field by field, `null` removes a field, lists with a merge
/// key merge item by item (an item with `"$patch": "delete"` removes the item of that key),
/// `$setElementOrder/<list>` orders the merged list (items the order does not name keep their
/// relative order, after those it names), `$deleteFromPrimitiveList/<list>` removes scalars, and
/// `"$patch": "replace"` replaces an object whole. Other lists are replaced.
///
/// This is why a node's patch of its own pod conditions keeps a condition another writer owns
/// (bug case B9): `conditions` merge by `type`.
public enum StrategicMergePatch {
    /// Applies `patch` to `original`.
    /// - Throws: `APIError.badRequest` naming the field when the patch is malformed (a list item
    ///   without its merge key, a directive of the wrong type).
    public static func apply(_ patch: JSONValue, to original: JSONValue, strategy: PatchStrategy) throws(APIError) -> JSONValue {
        try merge(original, patch, path: "", strategy: strategy) ?? .null
    }

    static func merge(_ original: JSONValue?, _ patch: JSONValue, path: String, strategy: PatchStrategy) throws(APIError) -> JSONValue? {
        guard case .object(let patchObject) = patch else { return patch }
        if let directive = patchObject["$patch"] {
            switch directive.stringValue {
            case "replace":
                var replaced = patchObject
                replaced["$patch"] = nil
                return .object(replaced)
            case "delete": return nil
            default: throw .badRequest("unknown patch directive \(directive.jsonText()) at \(path.isEmpty ? "the root" : path)")
            }
        }
        var result: [String: JSONValue]
        if case .object(let o)? = original { result = o } else { result = [:] }
        var orders: [String: [JSONValue]] = [:]
        for (key, value) in patchObject {
            if key.hasPrefix("$setElementOrder/") {
                guard case .array(let order) = value else { throw .badRequest("\(key) must be a list") }
                orders[String(key.dropFirst("$setElementOrder/".count))] = order
                continue
            }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                guard case .array(let remove) = value else { throw .badRequest("\(key) must be a list") }
                if case .array(let items)? = result[field] { result[field] = .array(items.filter { !remove.contains($0) }) }
                continue
            }
            if key == "$retainKeys" { continue }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if value == .null {
                result[key] = nil
                continue
            }
            if case .array(let patchItems) = value {
                if let mergeKey = strategy.mergeKeys[childPath] {
                    result[key] = .array(
                        try mergeList(result[key]?.arrayValue ?? [], patchItems, key: mergeKey, path: childPath, strategy: strategy))
                    continue
                }
                if strategy.setLists.contains(childPath) {
                    var items = result[key]?.arrayValue ?? []
                    for item in patchItems where !items.contains(item) { items.append(item) }
                    result[key] = .array(items)
                    continue
                }
                result[key] = value
                continue
            }
            result[key] = try merge(result[key], value, path: childPath, strategy: strategy)
        }
        for (field, order) in orders {
            let childPath = path.isEmpty ? field : "\(path).\(field)"
            guard case .array(let items)? = result[field] else { continue }
            result[field] = .array(Self.order(items, by: order, key: strategy.mergeKeys[childPath]))
        }
        return .object(result)
    }

    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], key: String, path: String, strategy: PatchStrategy)
        throws(APIError)
        -> [JSONValue]
    {
        var items = original
        for item in patch {
            guard case .object(let fields) = item else {
                throw .badRequest("\(path): an item of a list merged by \(key) must be an object")
            }
            guard let id = fields[key] else { throw .badRequest("\(path): an item has no \(key) (the list's merge key)") }
            let index = items.firstIndex { $0[key] == id }
            if fields["$patch"]?.stringValue == "delete" {
                if let index { items.remove(at: index) }
                continue
            }
            if let index {
                items[index] = try merge(items[index], item, path: path, strategy: strategy) ?? items[index]
            } else {
                items.append(try merge(nil, item, path: path, strategy: strategy) ?? item)
            }
        }
        return items
    }

    /// `items` in the order `order` gives (by merge key, or by value for scalars); items the
    /// order does not name follow, in their own order.
    static func order(_ items: [JSONValue], by order: [JSONValue], key: String?) -> [JSONValue] {
        func id(_ v: JSONValue) -> JSONValue { key.flatMap { v[$0] } ?? v }
        var rest = items
        var ordered: [JSONValue] = []
        for wanted in order {
            let wantedID = key.flatMap { wanted[$0] } ?? wanted
            if let i = rest.firstIndex(where: { id($0) == wantedID }) { ordered.append(rest.remove(at: i)) }
        }
        return ordered + rest
    }
}
