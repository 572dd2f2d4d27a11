import Foundation
import PodAPI
import Testing

@testable import Reporter

/// The fast reader of stored statuses reads what `JSONValue.parse` reads, or declines.
@Suite("Status JSON reader")
struct StatusJSONReaderTests {
    /// A status as the agent stores it (JSONEncoder, sorted keys, slashes escaped), with more
    /// escapes than the agent writes.
    static let agentStatus = #"""
        {"conditions":[{"lastTransitionTime":"2026-12-02T10:00:00Z","status":"True","type":"PodReadyToStartContainers"},{"lastTransitionTime":"2026-12-02T10:00:00Z","status":"True","type":"Initialized"},{"lastTransitionTime":"2026-12-02T10:00:01Z","message":"corresponding condition of pod readiness gate \"InPlaceUpdateReady\" does not exist.","reason":"ReadinessGatesNotReady","status":"False","type":"Ready"},{"lastTransitionTime":"2026-12-02T10:00:01Z","status":"True","type":"ContainersReady"},{"lastTransitionTime":"2026-12-02T10:00:00Z","status":"True","type":"PodScheduled"}],"containerStatuses":[{"containerID":"mock:\/\/0123456789abcdef","image":"registry.local\/app:v1","imageID":"registry.local\/app@sha256:aa","lastState":{},"name":"app","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":"2026-12-02T10:00:01Z"}}},{"containerID":"mock:\/\/fedcba9876543210","image":"registry.local\/sidecar:1","imageID":"registry.local\/sidecar@sha256:bb","lastState":{"terminated":{"exitCode":-1,"finishedAt":"2026-12-02T09:59:00Z","reason":"Error","startedAt":"2026-12-02T09:58:00Z"}},"name":"sidecar","ready":false,"restartCount":9223372036854775807,"started":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}],"hostIP":"10.0.0.1","hostIPs":[{"ip":"10.0.0.1"}],"phase":"Running","podIP":"10.88.0.2","podIPs":[{"ip":"10.88.0.2"}],"qosClass":"BestEffort","startTime":"2026-12-02T10:00:00Z"}
        """#

    static let readable: [String] = [
        agentStatus,
        #"{}"#, #"[]"#, #" { "a" : [ ] , "b" : { } } "#, "\n\t{\"a\":\r\n1}\n",
        #"{"t":true,"f":false,"n":null,"z":0,"i":-42,"big":-9223372036854775807,"nested":[[[{"x":[1,2,{"y":null}]}]]]}"#,
        #"{"s":"caf\u00e9 \"q\" \\ \/ \b\f\n\r\t \u0000 \ud83d\ude00 é 😀 \u20AC"}"#,
        #""just a string""#, "17", "true",
    ]

    static let declined: [String] = [
        #"{"n":1.5}"#, #"{"n":1.0}"#, #"{"n":1e3}"#, #"{"n":-0}"#, #"{"n":9223372036854775808}"#, #"{"n":01}"#,
        #"{"a":1,"a":2}"#, #"{"e\u0301":1,"é":2}"#, #"{"s":"\ud83d"}"#, #"{"s":"\ude00"}"#, #"{"s":"\x"}"#, "{\"s\":\"tab\there\"}",
        #"{"a":1,}"#, #"{"a":1"#, #"[1 2]"#, #"{"a":tru}"#, "", #"{"a":1} x"#,
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ]

    @Test("what it reads equals JSONValue.parse", arguments: readable)
    func readsAsFoundation(_ text: String) throws {
        let fast = try #require(StatusJSONReader.parse(text))
        #expect(fast == (try JSONValue.parse(Array(text.utf8))))
    }

    @Test("it declines numbers it would not read as Foundation does, and whatever is not plain JSON", arguments: declined)
    func declines(_ text: String) {
        #expect(StatusJSONReader.parse(text) == nil)
    }

    @Test("the request body of a status is byte for byte the one made through JSONValue.parse")
    func sameBody() throws {
        let parsed = try JSONValue.parse(Array(Self.agentStatus.utf8))
        let body = StatusReporter.body(statusJSON: Self.agentStatus, podUID: "u1")
        #expect(Array(body.readableBytesView) == Array(StatusReporter.body(status: parsed, podUID: "u1").readableBytesView))
        let decoded = try JSONValue.parse(Array(body.readableBytesView))
        #expect(decoded["metadata"]?.string("uid") == "u1")
        #expect(decoded["status"]?["containerStatuses"] == parsed["containerStatuses"])
        #expect(
            decoded["status"]?.array("conditions").compactMap { $0.string("type") } == [
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
            ])
    }
}
