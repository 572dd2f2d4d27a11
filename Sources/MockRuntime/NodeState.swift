import ContainerRuntime

/// Everything the mock "node" holds: sandboxes, containers, images, counters, plus the indexes that
/// keep per-pod calls O(pod) rather than O(node). A value type, so a save takes an O(1)
/// copy-on-write snapshot and encodes it off the actor.
///
/// Insertions and removals go through the methods below, which keep the indexes in step;
/// in-place edits of a record's state fields may be done directly.
struct NodeState: Sendable {
    var sandboxes: [String: SandboxRecord] = [:]
    var containers: [String: ContainerRecord] = [:]
    var images: [String: ImageRecord] = [:]
    var counters = NodeCounters()

    private(set) var sandboxNames: [String: String] = [:]
    private(set) var containerNames: [String: String] = [:]
    private(set) var containersBySandbox: [String: Set<String>] = [:]
    private(set) var usedIPs: Set<UInt32> = []

    init() {}

    /// Rebuilds the state and its indexes from a saved document.
    init(_ saved: PersistedNodeState) {
        counters = saved.counters
        for image in saved.images { images[image.id] = image }
        for sandbox in saved.sandboxes { insert(sandbox) }
        for container in saved.containers { insert(container) }
    }

    /// The document to save, records in creation order.
    var persisted: PersistedNodeState {
        PersistedNodeState(
            format: PersistedNodeState.currentFormat, counters: counters,
            sandboxes: sandboxes.values.sorted { $0.seq < $1.seq },
            containers: containers.values.sorted { $0.seq < $1.seq },
            images: images.values.sorted { $0.seq < $1.seq })
    }

    mutating func nextSeq() -> Int {
        defer { counters.nextSeq += 1 }
        return counters.nextSeq
    }

    // MARK: Sandboxes and containers

    mutating func insert(_ sandbox: SandboxRecord) {
        sandboxes[sandbox.id] = sandbox
        sandboxNames[sandbox.reservedName] = sandbox.id
        if let offset = Self.ipOffset(sandbox.ip) { usedIPs.insert(offset) }
        if containersBySandbox[sandbox.id] == nil { containersBySandbox[sandbox.id] = [] }
    }

    mutating func insert(_ container: ContainerRecord) {
        containers[container.id] = container
        containerNames[container.reservedName] = container.id
        containersBySandbox[container.sandboxID, default: []].insert(container.id)
    }

    /// Removes the container and releases its name.
    @discardableResult
    mutating func removeContainer(id: String) -> ContainerRecord? {
        guard let container = containers.removeValue(forKey: id) else { return nil }
        if containerNames[container.reservedName] == id { containerNames[container.reservedName] = nil }
        containersBySandbox[container.sandboxID]?.remove(id)
        return container
    }

    /// Removes the sandbox (not its containers: remove those first), releasing its name and IP.
    mutating func removeSandbox(id: String) {
        guard let sandbox = sandboxes.removeValue(forKey: id) else { return }
        if sandboxNames[sandbox.reservedName] == id { sandboxNames[sandbox.reservedName] = nil }
        if let offset = Self.ipOffset(sandbox.ip) { usedIPs.remove(offset) }
        containersBySandbox[id] = nil
    }

    /// IDs of the sandbox's containers, in creation order.
    func containerIDs(inSandbox id: String) -> [String] {
        (containersBySandbox[id] ?? []).compactMap { containers[$0] }.sorted { $0.seq < $1.seq }.map(\.id)
    }

    // MARK: IP addresses

    /// The next free address of 10.88.0.0/16 after the last one handed out (host-local IPAM
    /// style: sequential, wrapping, skipping addresses in use); nil when all are taken.
    mutating func allocateIP() -> String? {
        let first: UInt32 = 2
        let last: UInt32 = 0xFFFE
        var offset = counters.nextIPOffset
        for _ in first...last {
            if offset < first || offset > last { offset = first }
            if !usedIPs.contains(offset) {
                counters.nextIPOffset = offset + 1
                return "10.88.\(offset >> 8).\(offset & 0xFF)"
            }
            offset += 1
        }
        return nil
    }

    static func ipOffset(_ ip: String) -> UInt32? {
        let parts = ip.split(separator: ".")
        guard parts.count == 4, parts[0] == "10", parts[1] == "88", let high = UInt32(parts[2]), let low = UInt32(parts[3]),
            high < 256, low < 256
        else { return nil }
        return high << 8 | low
    }

    // MARK: Images

    /// The ID of the node image `reference` names, as containerd's `localResolve`: an image ID
    /// (`sha256:<hex>` or bare hex), else a normalized tag or digest reference.
    func resolveImageID(_ reference: String) -> String? {
        if ImageName.isDigest(reference) { return images[reference] == nil ? nil : reference }
        if ImageName.isHexIdentifier(Substring(reference)) {
            let id = "sha256:" + reference
            return images[id] == nil ? nil : id
        }
        guard let name = ImageName.parse(reference) else { return nil }
        let normalized = name.string
        if name.digest != nil {
            return images.values.first { $0.repoDigests.contains(normalized) }?.id
        }
        return images.values.first { $0.repoTags.contains(normalized) }?.id
    }

    /// Records that `name` was pulled (or loaded) and resolved to manifest `manifestDigest` with
    /// config `configID`: a tag moves to this image (leaving any other image, which keeps its
    /// repo digest), and `repository@manifestDigest` is added. References are kept sorted, as
    /// containerd's image store sorts them (`reference.Sort`), so the "first" repo tag and repo
    /// digest are the lexicographically smallest.
    mutating func recordImage(_ name: ImageName, manifestDigest: String, configID: String, size: UInt64) {
        if images[configID] == nil {
            images[configID] = ImageRecord(id: configID, seq: nextSeq(), repoTags: [], repoDigests: [], size: size)
        }
        if name.digest == nil {
            let tag = name.string
            for id in images.keys where id != configID {
                images[id]?.repoTags.removeAll { $0 == tag }
            }
            Self.insertSorted(tag, into: &images[configID]!.repoTags)
        }
        Self.insertSorted(name.repository + "@" + manifestDigest, into: &images[configID]!.repoDigests)
    }

    /// Node images in the order they first arrived.
    var imagesInOrder: [ImageRecord] { images.values.sorted { $0.seq < $1.seq } }

    private static func insertSorted(_ value: String, into list: inout [String]) {
        guard !list.contains(value) else { return }
        list.append(value)
        list.sort()
    }
}
