import Foundation
internal import GRDB

/// What the agent knows of one container of a pod: the hash of the spec it was started from
/// (and the algorithm that computed it), the runtime container it runs as, and the status bits the
/// runtime does not keep (restart count, lifecycle, last termination). Table `containers`,
/// primary key `(podUID, name)`; deleted with its pod.
public struct ContainerRecord: Sendable, Hashable {
    public var podUID: String
    /// The container's name in the pod spec.
    public var name: String
    /// The container spec hash, lower-case hex.
    public var hash: String
    /// The name of the algorithm that produced `hash`, so that a change of algorithm is not
    /// mistaken for a change of spec.
    public var hashAlgorithm: String
    /// The runtime's container id (without the `<runtime>://` prefix); nil before the first start.
    public var containerID: String?
    /// The image the spec named when the running container was created.
    public var image: String
    /// The runtime's image id (CRI image_ref) of the running container ("" when unknown).
    public var imageID: String
    public var restartCount: Int
    /// Where the container is in its life (column `lifecycle`, JSON).
    public var lifecycle: ContainerLifecycle
    /// How the previous container of this name ended: status `lastState.terminated` (column
    /// `lastTermination`, JSON; NULL when none ended yet).
    public var lastTermination: ContainerTermination?
    public var startedAt: Date?
    public var updatedAt: Date

    public init(
        podUID: String, name: String, hash: String, hashAlgorithm: String, containerID: String? = nil,
        image: String, imageID: String = "", restartCount: Int = 0, lifecycle: ContainerLifecycle = .unknown,
        lastTermination: ContainerTermination? = nil, startedAt: Date? = nil, updatedAt: Date = Date()
    ) {
        self.podUID = podUID
        self.name = name
        self.hash = hash
        self.hashAlgorithm = hashAlgorithm
        self.containerID = containerID
        self.image = image
        self.imageID = imageID
        self.restartCount = restartCount
        self.lifecycle = lifecycle
        self.lastTermination = lastTermination
        self.startedAt = startedAt
        self.updatedAt = updatedAt
    }
}

extension ContainerRecord {
    init(row: Row) throws {
        self.init(
            podUID: try row.decode(forColumn: "podUID"),
            name: try row.decode(forColumn: "name"),
            hash: try row.decode(forColumn: "hash"),
            hashAlgorithm: try row.decode(forColumn: "hashAlgorithm"),
            containerID: try row.decode(forColumn: "containerID"),
            image: try row.decode(forColumn: "image"),
            imageID: try row.decode(forColumn: "imageID"),
            restartCount: try row.decode(forColumn: "restartCount"),
            lifecycle: try ContainerLifecycle(storeJSON: row.decode(forColumn: "lifecycle")),
            lastTermination: try row.decode(String?.self, forColumn: "lastTermination").map {
                try JSONDecoder().decode(ContainerTermination.self, from: Data($0.utf8))
            },
            startedAt: try row.optionalDate("startedAt"),
            updatedAt: try row.date("updatedAt"))
    }

    var arguments: StatementArguments {
        [
            podUID, name, hash, hashAlgorithm, containerID, image, imageID, restartCount, lifecycle.storeJSON,
            lastTermination?.storeJSON, startedAt.storeValue, updatedAt.storeValue,
        ]
    }
}
