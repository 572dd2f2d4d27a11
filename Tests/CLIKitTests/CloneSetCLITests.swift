import CLIKit
import Foundation
import PodAPI
import Testing

/// `rollout status` and `describe cloneset`, from CloneSet objects.
struct CloneSetCLITests {
    static func set(generation: Int = 2, observed: Int = 2, replicas: Int = 5, status: String, partition: Int? = nil) -> JSONValue {
        let p = partition.map { #","partition":\#($0)"# } ?? ""
        let text = #"""
            {"metadata":{"name":"web","namespace":"default","generation":\#(generation),"labels":{"app":"web"}},
             "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"web"}},"progressDeadlineSeconds":60,
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}},
               "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"podUpdatePolicy":"InPlaceIfPossible","maxUnavailable":2\#(p)}}},
             "status":{"observedGeneration":\#(observed),\#(status)}}
            """#
        return try! JSONValue.parse(Array(text.utf8))
    }

    @Test(arguments: [
        (set(observed: 1, status: #""replicas":5"#), RolloutStatus.Verdict.waiting("Waiting for cloneset spec update to be observed...")),
        (
            set(status: #""replicas":5,"updatedReplicas":2,"expectedUpdatedReplicas":5"#),
            .waiting("Waiting for cloneset \"web\" rollout to finish: 2 out of 5 new replicas have been updated...")
        ),
        (
            set(status: #""replicas":6,"updatedReplicas":5,"updatedAvailableReplicas":5,"expectedUpdatedReplicas":5"#),
            .waiting("Waiting for cloneset \"web\" rollout to finish: 1 old replicas are pending termination...")
        ),
        (
            set(status: #""replicas":5,"updatedReplicas":5,"updatedAvailableReplicas":3,"expectedUpdatedReplicas":5"#),
            .waiting("Waiting for cloneset \"web\" rollout to finish: 3 of 5 updated replicas are available...")
        ),
        (
            set(status: #""replicas":5,"updatedReplicas":5,"updatedAvailableReplicas":5,"expectedUpdatedReplicas":5"#),
            .done("cloneset \"web\" successfully rolled out")
        ),
        (
            set(status: #""replicas":5,"updatedReplicas":2,"updatedAvailableReplicas":2,"expectedUpdatedReplicas":2"#, partition: 3),
            .done("partitioned roll out complete: 2 new pods have been updated...")
        ),
        (
            set(status: #""replicas":5,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]"#),
            .failed("error: cloneset \"web\" exceeded its progress deadline")
        ),
    ])
    func rolloutStatusSaysWhatKubectlSays(set: JSONValue, verdict: RolloutStatus.Verdict) {
        #expect(RolloutStatus.evaluate(set) == verdict)
    }

    @Test func describeShowsReplicasStrategyRevisionsConditionsAndEvents() throws {
        let set = Self.set(
            status:
                #""replicas":5,"updatedReplicas":3,"availableReplicas":4,"currentRevision":"web-a","updateRevision":"web-b","conditions":[{"type":"Progressing","status":"True","reason":"CloneSetUpdated"}]"#
        )
        let event = try JSONDecoder().decode(
            Event.self,
            from: Data(
                #"{"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1","namespace":"default"},"involvedObject":{"kind":"CloneSet","name":"web"},"reason":"SuccessfulUpdatePodInPlace","message":"successfully update pod web-abcde in-place(revision web-b)","type":"Normal","source":{"component":"cloneset-controller"},"count":1,"firstTimestamp":"2027-01-15T08:00:00Z","lastTimestamp":"2027-01-15T08:00:00Z"}"#
                    .utf8))
        let text = CloneSetDescriber(now: Date(timeIntervalSince1970: 1_800_000_000)).describe(set, events: [event])
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("Replicas: 5 desired | 3 updated | 5 total | 4 available | 1 unavailable"))
        #expect(lines.contains("PodUpdatePolicy: InPlaceIfPossible"))
        #expect(lines.contains("MaxUnavailable: 2"))
        #expect(lines.contains("CurrentRevision: web-a") && lines.contains("UpdateRevision: web-b"))
        #expect(lines.contains("Image: nginx:1.26"))
        #expect(lines.contains("Progressing True CloneSetUpdated"))
        #expect(
            lines.contains {
                $0.hasPrefix("Normal SuccessfulUpdatePodInPlace")
                    && $0.hasSuffix("cloneset-controller successfully update pod web-abcde in-place(revision web-b)")
            })
    }
}
