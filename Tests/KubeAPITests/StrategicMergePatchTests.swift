import KubeAPI
import PodAPI
import Testing

@Suite("Strategic and JSON merge patches")
struct StrategicMergePatchTests {
    static let gateAndReady: JSONValue = [
        "status": [
            "phase": "Running",
            "conditions": [
                ["type": "Ready", "status": "False", "reason": "ContainersNotReady"],
                ["type": "InPlaceUpdateReady", "status": "False", "reason": "StartInPlaceUpdate"],
            ],
        ]
    ]

    @Test("a node's patch of its conditions keeps the controller's gate (B9), ordered by $setElementOrder")
    func conditionsMergeByType() throws {
        let patch: JSONValue = [
            "status": [
                "conditions": [
                    ["type": "PodReadyToStartContainers", "status": "True"],
                    ["type": "Ready", "status": "True", "reason": .null],
                ],
                "$setElementOrder/conditions": [["type": "PodReadyToStartContainers"], ["type": "Ready"]],
            ]
        ]
        let result = try StrategicMergePatch.apply(patch, to: Self.gateAndReady, strategy: .pod)
        let conditions = result["status"]?.array("conditions") ?? []
        #expect(conditions.map { $0.string("type") ?? "" } == ["PodReadyToStartContainers", "Ready", "InPlaceUpdateReady"])
        #expect(conditions[1] == ["type": "Ready", "status": "True"])
        #expect(conditions[2].string("reason") == "StartInPlaceUpdate")
        #expect(result["status"]?.string("phase") == "Running")
    }

    @Test("a JSON merge patch replaces the list: the gate is lost, as the API server does")
    func jsonMergeReplacesLists() {
        let patch: JSONValue = ["status": ["conditions": [["type": "Ready", "status": "True"]]]]
        let result = JSONMergePatch.apply(patch, to: Self.gateAndReady)
        #expect(result["status"]?.array("conditions") == [["type": "Ready", "status": "True"]])
        #expect(JSONMergePatch.apply(["status": ["phase": .null]], to: Self.gateAndReady)["status"]?["phase"] == nil)
    }

    @Test(
        "directives and list kinds",
        arguments: [
            // $patch: delete removes the item of that key.
            (
                #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
                #"{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}"#, #"{"spec":{"containers":[{"image":"y","name":"b"}]}}"#
            ),
            // Containers merge by name: only the image changes.
            (
                #"{"spec":{"containers":[{"name":"a","image":"x","args":["1"]}]}}"#, #"{"spec":{"containers":[{"name":"a","image":"z"}]}}"#,
                #"{"spec":{"containers":[{"args":["1"],"image":"z","name":"a"}]}}"#
            ),
            // Lists without a merge key are replaced (tolerations, containerStatuses).
            (
                #"{"spec":{"tolerations":[{"key":"a"},{"key":"b"}]}}"#, #"{"spec":{"tolerations":[{"key":"c"}]}}"#,
                #"{"spec":{"tolerations":[{"key":"c"}]}}"#
            ),
            // Finalizers merge as a set; $deleteFromPrimitiveList removes.
            (
                #"{"metadata":{"finalizers":["a","b"]}}"#,
                #"{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}}"#,
                #"{"metadata":{"finalizers":["b","c"]}}"#
            ),
            // null removes a field; $patch: replace replaces a map.
            (#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#, #"{"metadata":{"labels":{"a":null}}}"#, #"{"metadata":{"labels":{"b":"2"}}}"#),
            (
                #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#, #"{"metadata":{"labels":{"$patch":"replace","c":"3"}}}"#,
                #"{"metadata":{"labels":{"c":"3"}}}"#
            ),
        ])
    func table(_ original: String, _ patch: String, _ expected: String) throws {
        let result = try StrategicMergePatch.apply(
            try JSONValue.parse(Array(patch.utf8)), to: try JSONValue.parse(Array(original.utf8)), strategy: .pod)
        #expect(result.jsonText() == expected)
    }

    @Test("a merged list item without its key is a 400 naming the list")
    func missingMergeKey() {
        #expect(throws: APIError.self) {
            try StrategicMergePatch.apply(["status": ["conditions": [["status": "True"]]]], to: Self.gateAndReady, strategy: .pod)
        }
        do {
            _ = try StrategicMergePatch.apply(["status": ["conditions": [["status": "True"]]]], to: Self.gateAndReady, strategy: .pod)
        } catch {
            #expect(error.code == 400)
            #expect(error.message.contains("status.conditions"))
        }
    }
}
