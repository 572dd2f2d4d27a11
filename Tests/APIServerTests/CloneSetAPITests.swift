import APIRegistry
import APIServer
import Foundation
import PodAPI
import Testing

/// CloneSets served in apps.kruise.io/v1alpha1 and v1beta1: one stored object, either version
/// read, kruise's validation, status kept apart from spec, metadata.generation.
@Suite("CloneSets through the API")
struct CloneSetServingTests {
    static let alphaPath = "/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets"
    static let betaPath = "/apis/apps.kruise.io/v1beta1/namespaces/default/clonesets"

    static func cloneSet(_ name: String, type: String = "InPlaceIfPossible", extra: String = "") -> String {
        #"{"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"\#(name)"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"\#(name)"}},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"main","image":"nginx:1.25"}]}},"updateStrategy":{"type":"\#(type)","partition":1\#(extra)}}}"#
    }

    @Test func createdInOneVersionReadInBoth() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let created = await api.call("POST", Self.alphaPath, body: Self.cloneSet("web"))
        #expect(created.code == 201, "\(created.body.jsonText())")
        #expect(created.body["metadata"]?.integer("generation") == 1)
        let alpha = await api.call("GET", Self.alphaPath + "/web")
        #expect(alpha.body.string("apiVersion") == "apps.kruise.io/v1alpha1")
        #expect(alpha.body["spec"]?["updateStrategy"]?.string("type") == "InPlaceIfPossible")
        let beta = await api.call("GET", Self.betaPath + "/web")
        #expect(beta.body.string("apiVersion") == "apps.kruise.io/v1beta1")
        #expect(beta.body["spec"]?["updateStrategy"]?.string("type") == "RollingUpdate")
        #expect(beta.body["spec"]?["updateStrategy"]?["rollingUpdate"]?.string("podUpdatePolicy") == "InPlaceIfPossible")
        #expect(beta.body["spec"]?["updateStrategy"]?["rollingUpdate"]?.integer("partition") == 1)
        #expect(beta.body["metadata"]?.string("uid") == alpha.body["metadata"]?.string("uid"))
        let list = await api.call("GET", Self.betaPath)
        #expect(list.body.string("kind") == "CloneSetList")
        #expect(list.body.array("items").count == 1)
    }

    /// The scale subresource as kruise's CRD declares it: autoscaling/v1 Scale, spec.replicas
    /// written through it, status.replicas and the selector read from the set's status.
    @Test func scaleSubresource() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", Self.alphaPath, body: Self.cloneSet("web"))
        _ = await api.call(
            "PATCH", Self.betaPath + "/web/status", contentType: "application/merge-patch+json",
            body: #"{"status":{"replicas":2,"labelSelector":"app=web"}}"#)
        let scale = await api.call("GET", Self.alphaPath + "/web/scale")
        #expect(scale.code == 200)
        #expect(scale.body.string("kind") == "Scale" && scale.body.string("apiVersion") == "autoscaling/v1")
        #expect(scale.body["spec"]?.integer("replicas") == 3)
        #expect(scale.body["status"]?.integer("replicas") == 2 && scale.body["status"]?.string("selector") == "app=web")
        let patched = await api.call(
            "PATCH", Self.betaPath + "/web/scale", contentType: "application/merge-patch+json", body: #"{"spec":{"replicas":6}}"#)
        #expect(patched.code == 200 && patched.body["spec"]?.integer("replicas") == 6)
        let set = await api.call("GET", Self.betaPath + "/web")
        #expect(set.body["spec"]?.integer("replicas") == 6)
        #expect(set.body["metadata"]?.integer("generation") == 2)
        // A PUT with a stale resourceVersion is a conflict; a negative count is invalid.
        let stale = scale.body["metadata"]?.string("resourceVersion") ?? ""
        let conflict = await api.call(
            "PUT", Self.betaPath + "/web/scale",
            body:
                #"{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","resourceVersion":"\#(stale)"},"spec":{"replicas":1}}"#
        )
        #expect(conflict.code == 409)
        let negative = await api.call("PUT", Self.betaPath + "/web/scale", body: #"{"spec":{"replicas":-1}}"#)
        #expect(negative.code == 422)
        #expect(negative.body["details"]?.array("causes").first?.string("field") == "spec.replicas")
        #expect(await api.call("GET", Self.betaPath + "/nope/scale").code == 404)
        // Beyond int32, not an integer, another object's name.
        #expect(await api.call("PUT", Self.betaPath + "/web/scale", body: #"{"spec":{"replicas":3000000000}}"#).code == 422)
        #expect(await api.call("PUT", Self.betaPath + "/web/scale", body: #"{"spec":{"replicas":"x"}}"#).code == 400)
        #expect(
            await api.call("PUT", Self.betaPath + "/web/scale", body: #"{"metadata":{"name":"zzz"},"spec":{"replicas":2}}"#).code == 400)
        let huge = Self.cloneSet("big").replacingOccurrences(of: #""replicas":3"#, with: #""replicas":99999999999"#)
        #expect(await api.call("POST", Self.alphaPath, body: huge).code == 422)
        let text = Self.cloneSet("text").replacingOccurrences(of: #""replicas":3"#, with: #""replicas":"3""#)
        #expect(await api.call("POST", Self.alphaPath, body: text).code == 422)
    }

    @Test func kruisesValidationRefusesAndStoresNothing() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let before = try await api.registry.store.currentRevision()
        let refused = await api.call("POST", Self.alphaPath, body: Self.cloneSet("web", type: "InPlaceOnly", extra: #","maxSurge":1"#))
        #expect(refused.code == 422)
        #expect(refused.body.string("reason") == "Invalid")
        let causes = refused.body["details"]?.array("causes") ?? []
        #expect(causes.contains { $0.string("field") == "spec.updateStrategy.maxSurge" })
        #expect(refused.body.string("message")?.contains("can not use maxSurge with strategy type InPlaceOnly") == true)
        #expect(try await api.registry.store.currentRevision() == before)
    }

    /// A template whose pods the API would refuse is refused with the set, under spec.template
    /// (kruise's webhook validates the template as a pod); so is a name too long for the
    /// revision label its pods carry.
    @Test func aTemplateIsValidatedAsThePodsItMakes() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let badLabel = Self.cloneSet("web").replacingOccurrences(
            of: #""template":{"metadata":{"labels":{"app":"web"}}"#, with: #""template":{"metadata":{"labels":{"app":"web","x":"a b"}}"#)
        let refused = await api.call("POST", Self.alphaPath, body: badLabel)
        #expect(refused.code == 422, "\(refused.body.jsonText())")
        #expect(refused.body["details"]?.array("causes").contains { $0.string("field") == "spec.template.metadata.labels" } == true)
        let long = String(repeating: "a", count: 60)
        let tooLong = await api.call("POST", Self.alphaPath, body: Self.cloneSet(long))
        #expect(tooLong.code == 422, "\(tooLong.body.jsonText())")
        #expect(await api.call("POST", Self.alphaPath, body: Self.cloneSet("web")).code == 201)
        let update = await api.call(
            "PATCH", Self.alphaPath + "/web", contentType: "application/merge-patch+json",
            body: #"{"spec":{"template":{"spec":{"containers":[{"name":"main","image":""}]}}}}"#)
        #expect(update.code == 422, "\(update.body.jsonText())")
    }

    @Test func statusApartFromSpecAndGenerationCountsSpecChanges() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", Self.alphaPath, body: Self.cloneSet("web"))
        let status = await api.call(
            "PATCH", Self.betaPath + "/web/status", contentType: "application/merge-patch+json",
            body: #"{"status":{"replicas":3,"observedGeneration":1},"spec":{"replicas":9}}"#)
        #expect(status.code == 200)
        #expect(status.body["status"]?.integer("replicas") == 3)
        #expect(status.body["spec"]?.integer("replicas") == 3, "a status write changes no spec")
        #expect(status.body["metadata"]?.integer("generation") == 1)
        let scaled = await api.call(
            "PATCH", Self.betaPath + "/web", contentType: "application/merge-patch+json",
            body: #"{"spec":{"replicas":5},"status":{"replicas":0}}"#)
        #expect(scaled.code == 200)
        #expect(scaled.body["spec"]?.integer("replicas") == 5)
        #expect(scaled.body["status"]?.integer("replicas") == 3, "a spec write changes no status")
        #expect(scaled.body["metadata"]?.integer("generation") == 2)
        let labelled = await api.call(
            "PATCH", Self.betaPath + "/web", contentType: "application/merge-patch+json", body: #"{"metadata":{"labels":{"x":"y"}}}"#)
        #expect(labelled.body["metadata"]?.integer("generation") == 2, "metadata alone is not a spec change")
    }

    @Test func aNodeMayNotTouchCloneSets() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let denied = await api.call("POST", Self.alphaPath, token: "node1-token", body: Self.cloneSet("web"))
        #expect(denied.code == 403)
    }
}
