import CloneSetAPI
import CloneSetController
import Foundation
import PodAPI
import Testing

/// The sync decision, table by table, against OpenKruise's documented behaviour.
struct CloneSetSyncTests {
    typealias F = SyncFixtures
    static let old = F.set(image: "nginx:1.25")

    static func names(_ refs: [SyncPlan.PodRef]) -> [String] { refs.map(\.name).sorted() }

    @Test func anEmptySetCreatesItsReplicasAtTheUpdateRevisionAndItsRevision() {
        let set = F.set(replicas: 3)
        let plan = CloneSetSync.decide(F.input(set, pods: [], revisions: []), newID: F.ids())
        #expect(plan.creates.count == 3)
        #expect(plan.creates.allSatisfy { $0["metadata"]?["labels"]?.string("controller-revision-hash") == F.revision(set).name })
        #expect(plan.creates.map { $0["metadata"]?.string("name") ?? "" } == ["web-new1x", "web-new2x", "web-new3x"])
        #expect(plan.revisionToCreate?["metadata"]?.string("name") == F.revision(set).name)
        #expect(plan.revisionToCreate?.integer("revision") == 1)
        #expect(plan.events.filter { $0.reason == "SuccessfulCreate" }.count == 3)
        #expect(plan.status.integer("replicas") == 0 && plan.status.string("updateRevision") == F.revision(set).name)
    }

    /// A large scale-up is created in batches: each sync re-reads the set, so a scale-down or a
    /// deletion stops it.
    @Test func aLargeScaleUpIsCreatedInBatches() {
        let plan = CloneSetSync.decide(F.input(F.set(replicas: 100_000), pods: [], revisions: []), newID: F.ids())
        #expect(plan.creates.count == CloneSetSync.maxCreatesPerSync)
    }

    @Test func scaleDownTakesOldRevisionAndLeastActivePodsFirst() {
        let set = F.set(replicas: 3, status: #"{"currentRevision":"\#(F.revision(Self.old).name)"}"#)
        let pods = [
            F.pod("a", of: set), F.pod("b", of: set, ready: false), F.pod("c", of: set),
            F.pod("d", of: Self.old), F.pod("e", of: set, age: 10),
        ]
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        // One old-revision pod (d), then the not-ready one (b).
        #expect(Self.names(plan.deletes) == ["web-b", "web-d"])
        #expect(plan.creates.isEmpty && plan.inPlace.isEmpty)
    }

    @Test func podsToDeleteAreDeletedAndReplaced() {
        let set = F.set(replicas: 2, strategy: "", status: "{}")
        var withDelete = set
        var spec = withDelete["spec"]!
        spec.set("scaleStrategy", ["podsToDelete": ["web-a"]])
        withDelete.set("spec", spec)
        let plan = CloneSetSync.decide(F.input(withDelete, pods: [F.pod("a", of: set), F.pod("b", of: set)]), newID: F.ids())
        #expect(Self.names(plan.deletes) == ["web-a"])
        #expect(plan.creates.isEmpty, "without maxSurge the replacement waits for the deletion")
        let next = CloneSetSync.decide(F.input(withDelete, pods: [F.pod("b", of: set)]), newID: F.ids())
        #expect(next.creates.count == 1 && next.deletes.isEmpty)
    }

    /// maxUnavailable 2 of 5: two pods start in place, each with its gate closed first, the
    /// revision labels, the state annotation with the old imageID, and the new image.
    @Test func anImageChangeStartsInPlaceWithinMaxUnavailable() throws {
        let set = F.set(strategy: #","maxUnavailable":2"#)
        let pods = ["a", "b", "c", "d", "e"].map { F.pod($0, of: Self.old) }
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        #expect(plan.inPlace.count == 2)
        #expect(plan.creates.isEmpty && plan.deletes.isEmpty && plan.markForRecreate.isEmpty)
        let step = try #require(plan.inPlace.first)
        #expect(step.closeGate)
        #expect(step.patch["spec"]?.array("containers") == [["name": "main", "image": "nginx:1.26"]])
        let meta = step.patch["metadata"]
        #expect(meta?.string("resourceVersion") == "100")
        #expect(meta?["labels"]?.string("controller-revision-hash") == F.revision(set).name)
        let state = try #require(meta?["annotations"]?.string(InPlaceUpdateState.annotation).flatMap(InPlaceUpdateState.parse))
        #expect(state.revision == F.revision(set).name)
        #expect(state.lastContainerStatuses["main"]?.imageID == "sha256:nginx:1.25")
        #expect(step.event?.reason == "SuccessfulUpdatePodInPlace")
        #expect(step.event?.message == "successfully update pod \(step.pod.name) in-place(revision \(F.revision(set).name))")
    }

    @Test(arguments: [
        // (strategy, pods already updated, expected in-place steps)
        (#","maxUnavailable":"20%""#, 0, 1),  // 20% of 5 rounds up to 1
        (#","maxUnavailable":"50%""#, 0, 3),  // 2.5 rounds up to 3
        (#","maxUnavailable":5,"partition":3"#, 0, 2),  // partition keeps 3 old
        (#","maxUnavailable":5,"partition":"50%""#, 0, 2),  // 2.5 up to 3 kept
        (#","maxUnavailable":5,"partition":3"#, 2, 0),  // already there
        (#","maxUnavailable":5,"paused":true"#, 0, 0),  // paused updates nothing
    ])
    func partitionMaxUnavailableAndPausedLimitTheWave(strategy: String, alreadyUpdated: Int, expected: Int) {
        let set = F.set(strategy: strategy)
        let pods = ["a", "b", "c", "d", "e"].enumerated().map { i, id in F.pod(id, of: i < alreadyUpdated ? set : Self.old) }
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        #expect(plan.inPlace.count == expected)
    }

    @Test func anUnavailablePodOnTheNewRevisionUsesTheBudget() {
        let set = F.set(strategy: #","maxUnavailable":2"#)
        let pods = [F.pod("a", of: set, ready: false)] + ["b", "c", "d", "e"].map { F.pod($0, of: Self.old) }
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        #expect(plan.inPlace.count == 1)
    }

    @Test func aChangeBeyondImagesIsRecreatedOrRefused() {
        let envSet = F.set(replicas: 2, policy: "InPlaceIfPossible", strategy: #","maxUnavailable":1"#, env: true)
        let pods = ["a", "b"].map { F.pod($0, of: Self.old) }
        let fallback = CloneSetSync.decide(F.input(envSet, pods: pods), newID: F.ids())
        #expect(fallback.inPlace.isEmpty && fallback.markForRecreate.count == 1)
        #expect(fallback.events.contains { $0.reason == "SuccessfulUpdatePodReCreate" && $0.message.contains("specified-delete") })

        let only = F.set(replicas: 2, policy: "InPlaceOnly", strategy: #","maxUnavailable":1"#, env: true)
        let refused = CloneSetSync.decide(F.input(only, pods: pods), newID: F.ids())
        #expect(refused.inPlace.isEmpty && refused.markForRecreate.isEmpty && refused.deletes.isEmpty)
        #expect(refused.events.map(\.reason) == ["FailedUpdatePodInPlace"])
        #expect(refused.events.first?.message.hasSuffix("is InPlaceOnly but can not update in-place") == true)

        let recreate = F.set(replicas: 2, policy: "ReCreate", strategy: #","maxUnavailable":1"#)
        let plan = CloneSetSync.decide(F.input(recreate, pods: pods), newID: F.ids())
        #expect(plan.inPlace.isEmpty && plan.markForRecreate.count == 1)
    }

    @Test func aPodLabelledForRecreationIsDeletedAndReplacedAtTheNewRevision() {
        let set = F.set(replicas: 2, strategy: #","maxUnavailable":1"#)
        let pods = [F.pod("a", of: Self.old, labels: ["apps.kruise.io/specified-delete": "true"]), F.pod("b", of: Self.old)]
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        #expect(Self.names(plan.deletes) == ["web-a"])
        #expect(plan.inPlace.isEmpty, "a sync that scales does not update (kruise's syncCloneSet)")
        let next = CloneSetSync.decide(F.input(set, pods: [pods[1]]), newID: F.ids())
        #expect(next.creates.count == 1)
        #expect(next.creates.first?["metadata"]?["labels"]?.string("controller-revision-hash") == F.revision(set).name)
    }

    /// B12: maxSurge makes no throw-away pod when the update is done in place; it still surges
    /// a recreate.
    @Test func maxSurgeCreatesNoPodForAnInPlaceUpdate() {
        let pods = ["a", "b", "c", "d"].map { F.pod($0, of: Self.old) }
        let inPlace = CloneSetSync.decide(F.input(F.set(replicas: 4, strategy: #","maxSurge":1"#), pods: pods), newID: F.ids())
        #expect(inPlace.creates.isEmpty)
        #expect(!inPlace.inPlace.isEmpty)
        let recreate = CloneSetSync.decide(
            F.input(F.set(replicas: 4, policy: "ReCreate", strategy: #","maxSurge":1"#), pods: pods), newID: F.ids())
        #expect(recreate.creates.count == 1)
    }

    @Test func aNewPodsGateOpensAndAFinishedUpdateOpensItsGate() {
        let set = F.set(replicas: 3)
        let rev = F.revision(set).name
        let state = InPlaceUpdateState(
            revision: rev, updateTimestamp: "2027-01-15T08:00:00Z",
            lastContainerStatuses: ["main": .init(imageID: "sha256:nginx:1.25", containerID: "containerd://old")])
        let ann = [InPlaceUpdateState.annotation: state.annotationValue()]
        let pods = [
            F.pod("new", of: set, gate: nil),
            F.pod("done", of: set, gate: "False", annotations: ann),
            F.pod("waiting", of: set, gate: "False", imageID: "sha256:nginx:1.25", containerID: "containerd://old", annotations: ann),
            // A tag bump to the same digest: the imageID stays, a new container proves it (B4/B5).
            F.pod("samedigest", of: set, gate: "False", imageID: "sha256:nginx:1.25", annotations: ann),
        ]
        let plan = CloneSetSync.decide(F.input(F.set(replicas: 4), pods: pods), newID: F.ids())
        #expect(Self.names(plan.openGates) == ["web-done", "web-new", "web-samedigest"])
    }

    @Test func aGracePeriodHoldsTheImagesBackUntilItRunsOut() throws {
        let set = F.set(replicas: 1, strategy: #","maxUnavailable":1,"inPlaceUpdateStrategy":{"gracePeriodSeconds":10}"#)
        let first = CloneSetSync.decide(F.input(set, pods: [F.pod("a", of: Self.old)]), newID: F.ids())
        let step = try #require(first.inPlace.first)
        #expect(step.closeGate && step.patch["spec"] == nil && step.event == nil)
        #expect(first.requeueAfterSeconds == 10)
        // The pod as the API then shows it: new labels and annotations, gate closed.
        var pod = F.pod("a", of: Self.old, gate: "False")
        var meta = pod["metadata"]!
        var labels = meta["labels"]!
        for (k, v) in step.patch["metadata"]!["labels"]!.objectValue! { labels.set(k, v) }
        meta.set("labels", labels)
        meta.set("annotations", step.patch["metadata"]!["annotations"]!)
        pod.set("metadata", meta)
        let during = CloneSetSync.decide(F.input(set, pods: [pod], now: F.now.addingTimeInterval(4)), newID: F.ids())
        #expect(during.inPlace.isEmpty)
        #expect(during.requeueAfterSeconds.map { abs($0 - 6) < 0.01 } == true)
        let after = CloneSetSync.decide(F.input(set, pods: [pod], now: F.now.addingTimeInterval(11)), newID: F.ids())
        let images = try #require(after.inPlace.first)
        #expect(!images.closeGate)
        #expect(images.patch["spec"]?.array("containers") == [["name": "main", "image": "nginx:1.26"]])
        #expect(images.patch["metadata"]?["annotations"]?["apps.kruise.io/inplace-update-grace"] == .null)
        #expect(images.event?.reason == "SuccessfulUpdatePodInPlace")
    }

    @Test func priorityOrdersTheUpdate() {
        let set = F.set(
            replicas: 3,
            strategy:
                #","maxUnavailable":1,"priorityStrategy":{"weightPriority":[{"weight":50,"matchSelector":{"matchLabels":{"canary":"true"}}}]}"#
        )
        let pods = [F.pod("a", of: Self.old), F.pod("b", of: Self.old, labels: ["canary": "true"]), F.pod("c", of: Self.old)]
        let plan = CloneSetSync.decide(F.input(set, pods: pods), newID: F.ids())
        #expect(plan.inPlace.map(\.pod.name) == ["web-b"])
    }

    @Test func unusedRevisionsBeyondTheHistoryLimitAreDeleted() {
        var set = F.set(replicas: 1)
        var spec = set["spec"]!
        spec.set("revisionHistoryLimit", 1)
        set.set("spec", spec)
        let extra = (3...5).map { n in
            CloneSetPods.controllerRevision(set: F.set(image: "nginx:1.\(n)0"), revision: (name: "web-old\(n)", hash: "old\(n)"), number: n)
        }
        let plan = CloneSetSync.decide(F.input(set, pods: [F.pod("a", of: set)], revisions: F.revisions(set) + extra), newID: F.ids())
        // Unused: the 1.25 revision (1) and the three extras; one is kept.
        #expect(plan.revisionsToDelete == [F.revision(Self.old).name, "web-old3", "web-old4"])
    }
}
