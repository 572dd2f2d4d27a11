import ContainerRuntime

extension MockRuntime {
    // MARK: Registry (what can be pulled)

    /// Makes `reference` pullable. Returns its manifest digest (`sha256:<64 hex>`), which repo
    /// digests carry.
    ///
    /// - Parameters:
    ///   - reference: a tag (`nginx:1.25`, normalized to `docker.io/library/nginx:1.25`) or a digest
    ///     reference (`nginx@sha256:...`).
    ///   - digest: the manifest digest; default: the reference's own digest, else the SHA-256 of the
    ///     normalized reference. Give two tags the same digest to make them one image.
    ///   - configDigest: the image ID; default derived from the manifest digest.
    ///   - size: bytes; default derived from the digest.
    /// Registering a tag again with another digest moves it, as a push to the registry does: the
    /// next pull of that tag gets the new image.
    /// - Throws: ``MockRuntimeError/invalidReference(_:)``, ``MockRuntimeError/invalidDigest(_:)``.
    @discardableResult
    public func registry(
        add reference: String, digest: String? = nil, configDigest: String? = nil,
        size: UInt64? = nil
    ) throws -> String {
        let entry = try RegistryEntry.make(reference, digest: digest, configDigest: configDigest, size: size)
        registryEntries[entry.name.string] = entry
        return entry.manifestDigest
    }

    /// With `on`, any valid reference is pullable (its digest made from its name) except one whose
    /// normalized name contains `missing`, which fails as an unknown image does; and containers of
    /// an image whose reference contains `crash` (with no behaviour set) exit with code 1 two
    /// seconds after they start: the demo's and a newcomer's registry. Explicit
    /// ``registry(add:digest:configDigest:size:)`` entries and behaviours win.
    public func setAutoRegistry(_ on: Bool) {
        autoRegistry = on
    }

    /// Makes `reference` unpullable again (the tag was deleted upstream); images already on the
    /// node stay. Returns whether it was registered.
    @discardableResult
    public func registry(remove reference: String) -> Bool {
        guard let name = ImageName.parse(reference) else { return false }
        return registryEntries.removeValue(forKey: name.string) != nil
    }

    /// Puts an image on the node as if it had been pulled (a preloaded or side-loaded image),
    /// without a registry entry being needed and without a logged call. Digests as in
    /// ``registry(add:digest:configDigest:size:)``; when `reference` is in the registry and no
    /// digest is given, the registry's digests are used. Returns the image ID (config digest).
    /// - Throws: ``MockRuntimeError/invalidReference(_:)``, ``MockRuntimeError/invalidDigest(_:)``.
    @discardableResult
    public func preloadImage(
        _ reference: String, digest: String? = nil, configDigest: String? = nil,
        size: UInt64? = nil
    ) throws -> String {
        var entry = try RegistryEntry.make(reference, digest: digest, configDigest: configDigest, size: size)
        if digest == nil, configDigest == nil, let registered = registryEntry(for: entry.name) {
            entry = registered
        }
        node.recordImage(entry.name, manifestDigest: entry.manifestDigest, configID: entry.configDigest, size: entry.size)
        stateChanged()
        return entry.configDigest
    }

    /// Deletes the node image `reference` names (an image ID, tag or digest reference), with all
    /// its tags, as `crictl rmi` would; containers created from it keep running and then report
    /// their config's image and the image ID. Returns whether an image was removed.
    @discardableResult
    public func removeNodeImage(_ reference: String) -> Bool {
        guard let id = node.resolveImageID(reference) else { return false }
        node.images[id] = nil
        stateChanged()
        return true
    }

    // MARK: ImageService

    /// Pulls `image` from the registry onto the node and returns the image ID (config digest,
    /// `sha256:...`), which is what containerd returns as `image_ref`. The normalized tag moves to
    /// this image; `repository@manifestDigest` is added to its repo digests.
    ///
    /// - Throws: `.failed(call: "PullImage", detail:)` with containerd's wording: for an unknown
    ///   reference `failed to pull and unpack image "docker.io/library/x:y": failed to resolve
    ///   reference "docker.io/library/x:y": docker.io/library/x:y: not found`; for an invalid one
    ///   `failed to parse image reference "X": invalid reference format`.
    public func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        let name = ImageName.parse(image)
        try await enter(.pullImage, image, subjects: name.map { [$0.string] } ?? [])
        guard let name else {
            throw RuntimeError.failed(call: "PullImage", detail: "failed to parse image reference \"\(image)\": invalid reference format")
        }
        if autoRegistry, registryEntry(for: name) == nil, !name.string.contains("missing"),
            let made = try? RegistryEntry.make(name.string, digest: nil, configDigest: nil, size: nil)
        {
            registryEntries[made.name.string] = made
        }
        guard let entry = registryEntry(for: name) else {
            let ref = name.string
            throw RuntimeError.failed(
                call: "PullImage",
                detail: "failed to pull and unpack image \"\(ref)\": failed to resolve reference \"\(ref)\": \(ref): not found")
        }
        node.recordImage(name, manifestDigest: entry.manifestDigest, configID: entry.configDigest, size: entry.size)
        stateChanged()
        return entry.configDigest
    }

    /// The node image `image` names (image ID, or tag or digest reference, normalized), nil when
    /// absent or not a valid reference.
    public func imageStatus(_ image: String) async throws -> RuntimeImage? {
        try await enter(.imageStatus, image, subjects: [ImageKeyedSettings<Int32>.key(image)])
        return node.resolveImageID(image).flatMap { node.images[$0]?.image }
    }

    /// Every node image, in the order they arrived.
    public func listImages() async throws -> [RuntimeImage] {
        try await enter(.listImages, "")
        return node.imagesInOrder.map(\.image)
    }

    /// The registry entry for a tag, or for a digest in the same repository.
    func registryEntry(for name: ImageName) -> RegistryEntry? {
        if let entry = registryEntries[name.string] { return entry }
        guard let digest = name.digest else { return nil }
        return registryEntries.values
            .filter { $0.name.repository == name.repository && $0.manifestDigest == digest }
            .min { $0.name.string < $1.name.string }
    }
}
