import Foundation
import PodAPI
import StateStore
import Testing

@testable import NodeAgent

/// The diff and admission stages of `NodeAgent.apply`, without a store or a runtime.
struct AdmissionTests {
    static func entry(
        _ name: String, image: String = "nginx:1.25", source: String = "a.yaml", uid: String? = nil,
        annotations: [String: String]? = nil
    ) -> DesiredPods.Entry {
        var pod = Pod(
            metadata: ObjectMeta(name: name, namespace: "default", uid: uid),
            spec: PodSpec(containers: [Container(name: "app", image: image)]))
        pod.metadata.annotations = annotations
        PodDefaulting.apply(to: &pod)
        return DesiredPods.Entry(pod: pod, source: source)
    }

    static func known(_ entries: [DesiredPods.Entry]) -> KnownPods {
        KnownPods(
            entries.enumerated().map { (i, e) in
                var pod = e.pod
                pod.metadata.uid = "uid-\(i)"
                return (PodRecord(uid: "uid-\(i)", namespace: "default", name: pod.metadata.name ?? "", source: e.source), pod)
            })
    }

    @Test func diffSortsEveryPodIntoOneChange() {
        let known = Self.known([
            Self.entry("same"), Self.entry("moved"), Self.entry("edited"), Self.entry("gone"),
            Self.entry("broken", source: "bad.yaml"),
        ])
        let desired = DesiredPods(
            pods: [
                Self.entry("same"), Self.entry("moved", source: "b.yaml"), Self.entry("edited", image: "nginx:1.26"), Self.entry("new"),
            ],
            failedFiles: ["bad.yaml"])
        let diff = DesiredPodsDiff.compute(desired, known: known)
        #expect(diff.items.map(\.change) == [.unchanged, .moved, .changed, .added])
        #expect(diff.items[2].entry.pod.metadata.uid == "uid-2")
        // A pod of a file that failed to load is kept as it was.
        #expect(diff.removed == ["default/gone"])
    }

    @Test func aNewUIDUnderAKnownNameReplacesThePod() {
        let known = Self.known([Self.entry("web"), Self.entry("db")])
        let desired = DesiredPods(pods: [Self.entry("web", uid: "uid-new"), Self.entry("db", uid: "uid-1")])
        let diff = DesiredPodsDiff.compute(desired, known: known)
        #expect(diff.items.map(\.change) == [.replaced, .unchanged])
        #expect(diff.items[0].entry.pod.metadata.uid == "uid-new")
        #expect(diff.removed.isEmpty)
    }

    @Test func incompleteSnapshotDeletesNothing() {
        let known = Self.known([Self.entry("gone")])
        let diff = DesiredPodsDiff.compute(DesiredPods(pods: [], complete: false), known: known)
        #expect(diff.removed.isEmpty)
    }

    @Test func inPlaceOnlyRefusesWhatCannotChangeInPlace() {
        let old = Self.entry("web").pod
        var renamed = old
        renamed.spec.containers[0].name = "other"
        renamed.metadata.annotations = [WellKnown.updatePolicyAnnotation: WellKnown.inPlaceOnly]
        guard
            case .reject(let message) = PodAdmission.update(
                old: old, new: renamed, terminal: false, defaultPolicy: WellKnown.inPlaceIfPossible)
        else {
            Issue.record("expected a refusal")
            return
        }
        #expect(message.hasPrefix("pod default/web update strategy is InPlaceOnly but can not update in-place: "))
        #expect(PodAdmission.update(old: old, new: renamed, terminal: false, defaultPolicy: WellKnown.inPlaceIfPossible) != .update)
        var image = old
        image.spec.containers[0].image = "nginx:1.26"
        #expect(PodAdmission.update(old: old, new: image, terminal: false, defaultPolicy: WellKnown.inPlaceOnly) == .update)
        #expect(PodAdmission.update(old: old, new: renamed, terminal: true, defaultPolicy: WellKnown.inPlaceOnly) == .revive)
        var recreate = renamed
        recreate.metadata.annotations = nil
        #expect(PodAdmission.update(old: old, new: recreate, terminal: false, defaultPolicy: WellKnown.inPlaceIfPossible) == .update)
    }

    @Test func newPodsGetTheirUIDFromTheManifestTheRuntimeOrANewOne() {
        let known = Self.known([Self.entry("web")])
        #expect(
            PodAdmission.add(Self.entry("a", uid: "given"), known: known, runtimeUID: "rt", newUID: { "new" })
                == .admit(uid: "given", minted: false))
        #expect(PodAdmission.add(Self.entry("a"), known: known, runtimeUID: "rt", newUID: { "new" }) == .admit(uid: "rt", minted: false))
        #expect(PodAdmission.add(Self.entry("a"), known: known, runtimeUID: nil, newUID: { "new" }) == .admit(uid: "new", minted: true))
        #expect(
            PodAdmission.add(Self.entry("a", uid: "uid-0"), known: known, runtimeUID: nil, newUID: { "new" })
                == .duplicateUID("metadata.uid: Duplicate value: \"uid-0\": pod default/web from a.yaml has this uid"))
    }
}
