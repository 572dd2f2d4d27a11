/// Settings keyed by image (behaviours, stop exit codes). Keys are normalized references or image
/// IDs; a container matches a key naming any of its image's IDs, repo tags or repo digests, or the
/// image its config names. When several keys match, the most recently set wins.
struct ImageKeyedSettings<Value: Sendable>: Sendable {
    private var entries: [(key: String, value: Value)] = []

    /// The normalized form of an image string: an image ID as is, else the normalized reference.
    static func key(_ image: String) -> String {
        if ImageName.isDigest(image) { return image }
        if ImageName.isHexIdentifier(Substring(image)) { return "sha256:" + image }
        return ImageName.parse(image)?.string ?? image
    }

    mutating func set(_ value: Value?, forImage image: String) {
        let key = Self.key(image)
        entries.removeAll { $0.key == key }
        if let value { entries.append((key, value)) }
    }

    func value(forAnyOf keys: Set<String>) -> Value? {
        entries.last { keys.contains($0.key) }?.value
    }
}
