/// A pullable image in the mock registry.
struct RegistryEntry: Sendable, Hashable {
    /// The normalized reference it is registered under.
    var name: ImageName
    /// Manifest digest, `sha256:...`: what repo digests (`repo@sha256:...`) carry.
    var manifestDigest: String
    /// Config digest, `sha256:...`: the node image ID, returned by `pullImage`.
    var configDigest: String
    /// Bytes.
    var size: UInt64

    /// Builds an entry for `reference`, deriving what is not given: the manifest digest from the
    /// reference's digest or the SHA-256 of the normalized reference, the config digest from the
    /// manifest digest (so tags sharing a manifest share an image), the size from the digest.
    ///
    /// - Throws: ``MockRuntimeError/invalidReference(_:)``, ``MockRuntimeError/invalidDigest(_:)``.
    static func make(_ reference: String, digest: String?, configDigest: String?, size: UInt64?) throws -> RegistryEntry {
        guard let name = ImageName.parse(reference) else { throw MockRuntimeError.invalidReference(reference) }
        for given in [digest, configDigest].compactMap({ $0 }) where !ImageName.isDigest(given) {
            throw MockRuntimeError.invalidDigest(given)
        }
        if let own = name.digest, let digest, own != digest { throw MockRuntimeError.invalidDigest(digest) }
        let manifest = name.digest ?? digest ?? SHA256.digest(name.string)
        let config = configDigest ?? SHA256.digest("config/" + manifest)
        let derivedSize = 5_000_000 + (UInt64(manifest.suffix(8), radix: 16) ?? 0) % 95_000_000
        return RegistryEntry(name: name, manifestDigest: manifest, configDigest: config, size: size ?? derivedSize)
    }
}
