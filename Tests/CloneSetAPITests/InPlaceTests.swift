import CloneSetAPI
import PodAPI
import Testing

/// Planning and judging an in-place update, and where this project is right where kruise is not.
struct InPlaceTests {
    static func template(image: String = "nginx:1.25", env: String? = nil, labels: String = #"{"app":"web"}"#, sidecar: Bool = true)
        throws -> JSONValue
    {
        let envPart = env.map { #","env":[{"name":"A","value":"\#($0)"}]"# } ?? ""
        let side = sidecar ? #",{"name":"log","image":"busybox:1.36"}"# : ""
        return try JSONValue.parse(
            Array(
                #"{"metadata":{"labels":\#(labels)},"spec":{"containers":[{"name":"app","image":"\#(image)"\#(envPart)}\#(side)]}}"#.utf8))
    }

    @Test func imagesAndLabelsChangeInPlaceAnythingElseRecreates() throws {
        #expect(
            InPlacePlan.plan(old: try Self.template(), new: try Self.template(image: "nginx:1.26", labels: #"{"app":"web","v":"2"}"#))
                == .inPlace(images: ["app": "nginx:1.26"], labels: ["v": "2"], annotations: [:]))
        #expect(
            InPlacePlan.plan(old: try Self.template(), new: try Self.template(image: "nginx:1.26", env: "x"))
                == .recreate(firstDifference: "/spec/containers/0/env"))
        #expect(
            InPlacePlan.plan(old: try Self.template(), new: try Self.template(sidecar: false))
                == .recreate(firstDifference: "/spec/containers"))
        #expect(
            InPlacePlan.plan(old: try Self.template(), new: try Self.template()) == .inPlace(images: [:], labels: [:], annotations: [:]))
    }

    @Test func theStateAnnotationIsKruisesJSON() throws {
        let state = InPlaceUpdateState(
            revision: "web-7d9f", updateTimestamp: "2026-12-05T10:00:00Z",
            lastContainerStatuses: ["app": .init(imageID: "docker.io/library/nginx@sha256:aa", containerID: "containerd://c1")])
        let text = state.annotationValue()
        #expect(
            text.contains(
                #""lastContainerStatuses":{"app":{"containerID":"containerd://c1","imageID":"docker.io/library/nginx@sha256:aa"}}"#))
        #expect(text.contains(#""revision":"web-7d9f""#))
        #expect(InPlaceUpdateState.parse(text) == state)
        // kruise's own annotation (no containerID) reads too.
        let kruise = #"{"revision":"r","updateTimestamp":"2026-12-05T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"x"}}}"#
        #expect(InPlaceUpdateState.parse(kruise)?.lastContainerStatuses["app"]?.containerID == nil)
    }

    static func status(image: String, imageID: String, containerID: String, running: Bool = true) throws -> JSONValue {
        let state = running ? #"{"running":{"startedAt":"2026-12-05T10:00:05Z"}}"# : #"{"waiting":{"reason":"ImagePullBackOff"}}"#
        return try JSONValue.parse(
            Array(#"{"name":"app","image":"\#(image)","imageID":"\#(imageID)","containerID":"\#(containerID)","state":\#(state)}"#.utf8))
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var spec: String
        var image: String
        var imageID: String
        var containerID: String
        var running: Bool
        var expected: InPlaceCompletion.Verdict
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "new image, new imageID, running: done", spec: "nginx:1.26", image: "nginx:1.26", imageID: "sha256:bb",
            containerID: "containerd://c2", running: true, expected: .done),
        Row(
            name: "the old container still reported: waiting", spec: "nginx:1.26", image: "nginx:1.25", imageID: "sha256:aa",
            containerID: "containerd://c1", running: true, expected: .waiting("container app runs nginx:1.25, not nginx:1.26 yet")),
        Row(
            name: "a tag bump to the same digest (B4, B5): a new container completes it", spec: "nginx:1.25-copy",
            image: "nginx:1.25-copy", imageID: "sha256:aa", containerID: "containerd://c2", running: true, expected: .done),
        Row(
            name: "same digest and the same container: waiting", spec: "nginx:1.25-copy", image: "nginx:1.25-copy",
            imageID: "sha256:aa", containerID: "containerd://c1", running: true, expected: .waiting("container app imageID not changed")),
        Row(
            name: "short and fully qualified names of one image", spec: "nginx:1.26", image: "docker.io/library/nginx:1.26",
            imageID: "sha256:bb", containerID: "containerd://c2", running: true, expected: .done),
        Row(
            name: "a pull that fails: never done", spec: "nginx:9.9", image: "nginx:9.9", imageID: "", containerID: "",
            running: false, expected: .waiting("container app is not running")),
    ]

    @Test(arguments: rows)
    func completion(_ row: Row) throws {
        let state = InPlaceUpdateState(
            revision: "r", updateTimestamp: "t", lastContainerStatuses: ["app": .init(imageID: "sha256:aa", containerID: "containerd://c1")]
        )
        let verdict = InPlaceCompletion.check(
            state: state, specImages: ["app": row.spec],
            statuses: [try Self.status(image: row.image, imageID: row.imageID, containerID: row.containerID, running: row.running)])
        #expect(verdict == row.expected)
    }

    @Test func aContainerWithoutStatusIsWaitedFor() {
        let state = InPlaceUpdateState(revision: "r", updateTimestamp: "t", lastContainerStatuses: ["app": .init(imageID: "a")])
        #expect(InPlaceCompletion.check(state: state, specImages: [:], statuses: []) == .waiting("not found statuses of containers [app]"))
    }
}
