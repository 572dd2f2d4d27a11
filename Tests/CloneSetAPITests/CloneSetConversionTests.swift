import CloneSetAPI
import PodAPI
import Testing

struct CloneSetConversionTests {
    static func object(_ json: String) throws -> JSONValue { try JSONValue.parse(Array(json.utf8)) }

    static let alpha =
        #"{"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"s"},"spec":{"replicas":5,"scaleStrategy":{"disablePVCReuse":true,"podsToDelete":["s-1"]},"updateStrategy":{"type":"InPlaceIfPossible","partition":2,"maxUnavailable":"20%","paused":true,"inPlaceUpdateStrategy":{"gracePeriodSeconds":10}}}}"#

    @Test func v1alpha1ToV1beta1AndBack() throws {
        let a = try Self.object(Self.alpha)
        let b = try CloneSetConversion.convert(a, to: RolloutSpecReader.v1beta1)
        #expect(b["apiVersion"]?.stringValue == "apps.kruise.io/v1beta1")
        #expect(b["spec"]?["updateStrategy"]?["type"]?.stringValue == "RollingUpdate")
        let rolling = b["spec"]?["updateStrategy"]?["rollingUpdate"]
        #expect(rolling?["podUpdatePolicy"]?.stringValue == "InPlaceIfPossible")
        #expect(rolling?["partition"] == .integer(2))
        #expect(rolling?["paused"] == .bool(true))
        #expect(b["spec"]?["scaleStrategy"]?["enablePVCReuse"] == .bool(false))
        #expect(b["spec"]?["scaleStrategy"]?["disablePVCReuse"] == nil)
        #expect(try CloneSetConversion.convert(b, to: RolloutSpecReader.v1alpha1) == a)
        // Both versions read as the same rollout.
        var fromA = try RolloutSpecReader.read(a.settingTemplate()).get()
        var fromB = try RolloutSpecReader.read(b.settingTemplate()).get()
        fromA.apiVersion = ""
        fromB.apiVersion = ""
        #expect(fromA == fromB)
    }

    @Test func onDeleteBothWays() throws {
        let b = try Self.object(#"{"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","spec":{"updateStrategy":{"type":"OnDelete"}}}"#)
        let a = try CloneSetConversion.convert(b, to: RolloutSpecReader.v1alpha1)
        #expect(a["spec"]?["updateStrategy"] == ["type": "OnDelete"])
        #expect(try CloneSetConversion.convert(a, to: RolloutSpecReader.v1beta1) == b)
    }

    @Test func anotherGroupIsRefused() throws {
        #expect(throws: ConversionError.self) {
            try CloneSetConversion.convert(try Self.object(#"{"apiVersion":"apps/v1","kind":"Deployment"}"#), to: RolloutSpecReader.v1beta1)
        }
    }
}

extension JSONValue {
    /// The object with a selector and template that validation accepts.
    func settingTemplate() throws -> JSONValue {
        var o = self
        var spec = o["spec"] ?? .object([:])
        spec.set("selector", ["matchLabels": ["app": "s"]])
        spec.set("template", ["metadata": ["labels": ["app": "s"]], "spec": ["containers": [["name": "m", "image": "nginx"]]]])
        o.set("spec", spec)
        return o
    }
}
