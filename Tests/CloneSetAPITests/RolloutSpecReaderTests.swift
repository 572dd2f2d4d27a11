import CloneSetAPI
import CloneSetStrategy
import PodAPI
import Testing

/// CloneSet manifests as OpenKruise's documentation writes them, in both API versions, and the
/// errors of kruise's validating webhook.
struct RolloutSpecReaderTests {
    static func object(_ json: String) throws -> JSONValue { try JSONValue.parse(Array(json.utf8)) }

    static let template =
        #""selector":{"matchLabels":{"app":"sample"}},"template":{"metadata":{"labels":{"app":"sample"}},"spec":{"containers":[{"name":"main","image":"nginx:alpine"}]}}"#

    @Test func v1alpha1AsTheDocsWriteIt() throws {
        let cs = try Self.object(
            #"{"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"sample"},"spec":{"replicas":5,\#(Self.template),"updateStrategy":{"type":"InPlaceIfPossible","partition":3,"maxUnavailable":"20%","maxSurge":1,"inPlaceUpdateStrategy":{"gracePeriodSeconds":10},"priorityStrategy":{"weightPriority":[{"weight":50,"matchSelector":{"matchLabels":{"test-key":"foo"}}}]},"scatterStrategy":[{"key":"foo","value":"bar"}]}}}"#
        )
        let spec = try RolloutSpecReader.read(cs).get()
        #expect(spec.replicas == 5)
        #expect(spec.podUpdatePolicy == .inPlaceIfPossible)
        #expect(spec.partition == .count(3))
        #expect(spec.maxUnavailable == .percent(20))
        #expect(spec.maxSurge == .count(1))
        #expect(spec.gracePeriodSeconds == 10)
        #expect(spec.scatter == [ScatterOrder.Term(key: "foo", value: "bar")])
        #expect(spec.priority == .weight([(50, ["test-key": "foo"])]))
        #expect(!spec.onDelete)
    }

    @Test func v1beta1AsKruise2WritesIt() throws {
        let cs = try Self.object(
            #"{"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","metadata":{"name":"sample"},"spec":{"replicas":4,\#(Self.template),"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"podUpdatePolicy":"InPlaceOnly","partition":"50%","paused":true}}}}"#
        )
        let spec = try RolloutSpecReader.read(cs).get()
        #expect(spec.podUpdatePolicy == .inPlaceOnly)
        #expect(spec.partition == .percent(50))
        #expect(spec.paused)
        #expect(spec.maxUnavailable == UpdateBudget.defaultMaxUnavailable)
        #expect(ExpectationDiffs.compute(spec.scaleAndUpdate(revisionsDiffer: true), pods: []).scaleUpNum == 4)
    }

    @Test func defaultsAreKruises() throws {
        let cs = try Self.object(#"{"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","spec":{\#(Self.template)}}"#)
        let spec = try RolloutSpecReader.read(cs).get()
        #expect(spec.replicas == 1)
        #expect(spec.podUpdatePolicy == .reCreate)
        #expect(spec.partition == nil && spec.maxSurge == nil && !spec.paused)
    }

    struct Bad: Sendable, CustomStringConvertible {
        var name: String
        var json: String
        var errors: [String]
        var description: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "maxSurge with InPlaceOnly",
            json:
                #"{"apiVersion":"apps.kruise.io/v1alpha1","spec":{"replicas":3,\#(template),"updateStrategy":{"type":"InPlaceOnly","maxSurge":"50%"}}}"#,
            errors: [#"spec.updateStrategy.maxSurge: Invalid value: "50%": can not use maxSurge with strategy type InPlaceOnly"#]),
        Bad(
            name: "a partition that is neither a count nor a percentage",
            json:
                #"{"apiVersion":"apps.kruise.io/v1beta1","spec":{\#(template),"updateStrategy":{"rollingUpdate":{"partition":"half"}}}}"#,
            errors: [
                #"spec.updateStrategy.rollingUpdate.partition: Invalid value: "half": failed GetScaledValueFromIntOrPercent for partition: invalid value for IntOrString: invalid type: string is not a percentage"#
            ]),
        Bad(
            name: "an unknown update type (kruise's wording)",
            json: #"{"apiVersion":"apps.kruise.io/v1alpha1","spec":{\#(template),"updateStrategy":{"type":"Rolling"}}}"#,
            errors: [#"spec.updateStrategy.type: Invalid value: "Rolling": must be 'ReCreate', InPlaceIfPossible or 'InPlaceOnly'"#]),
        Bad(
            name: "no budget at all",
            json:
                #"{"apiVersion":"apps.kruise.io/v1alpha1","spec":{"replicas":2,\#(template),"updateStrategy":{"maxUnavailable":0}}}"#,
            errors: [#"spec.updateStrategy.maxUnavailable: Invalid value: "0": maxUnavailable and maxSurge should not both be less than 1"#]
        ),
        Bad(
            name: "a selector that does not match the template, a restartPolicy, activeDeadlineSeconds",
            json:
                #"{"apiVersion":"apps.kruise.io/v1alpha1","spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"sample"}},"spec":{"restartPolicy":"Never","activeDeadlineSeconds":5,"containers":[{"name":"m","image":"nginx"}]}}}}"#,
            errors: [
                "spec.template.metadata.labels: Invalid value: map[app:sample]: `selector` does not match template `labels`",
                #"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#,
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in cloneset is not Supported",
            ]),
        Bad(
            name: "podsToDelete twice, two priority kinds",
            json:
                #"{"apiVersion":"apps.kruise.io/v1alpha1","spec":{\#(template),"scaleStrategy":{"podsToDelete":["a","a"]},"updateStrategy":{"priorityStrategy":{"weightPriority":[{"weight":1,"matchSelector":{"matchLabels":{"k":"v"}}}],"orderPriority":[{"orderedKey":"k"}]}}}}"#,
            errors: [
                "spec.scaleStrategy.podsToDelete: Invalid value: [a a]: duplicated items [a]",
                "spec.updateStrategy.priorityStrategy: Required value: only one of weightPriority or orderPriority can be set",
            ]),
        Bad(
            name: "another group's object",
            json: #"{"apiVersion":"apps/v1","spec":{}}"#,
            errors: [#"apiVersion: Unsupported value: "apps/v1": supported values: "apps.kruise.io/v1alpha1", "apps.kruise.io/v1beta1""#]),
    ]

    @Test(arguments: bad)
    func refused(_ row: Bad) throws {
        switch RolloutSpecReader.read(try Self.object(row.json)) {
        case .success: Issue.record("\(row.name): accepted")
        case .failure(let e): #expect(e.errors.map(\.description) == row.errors)
        }
    }
}
