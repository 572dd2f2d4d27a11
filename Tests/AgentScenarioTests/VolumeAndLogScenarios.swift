import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// emptyDir and hostPath volumes reach CreateContainer as kubelet mounts them, and restartCount
/// is taken from the pod's log directory when nothing else remembers it (B13).
@Suite("Volumes and container logs") struct VolumeAndLogScenarios {
    static func containerID(_ p: Pod, _ name: String) -> String? {
        p.container(name)?.containerID.map { String($0.split(separator: "/").last ?? "") }
    }

    @Test func emptyDirAndHostPathBecomeMounts() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        let hostDir = NSTemporaryDirectory() + "ipd-host-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: hostDir) }
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: vols, uid: 11111111-2222-3333-4444-555555555555}
            spec:
              containers:
              - name: app
                image: nginx:1.25
                volumeMounts:
                - {name: scratch, mountPath: /scratch}
                - {name: host, mountPath: /host, readOnly: true}
                - {name: scratch, mountPath: /sub, subPath: a/b}
                - {name: cfg, mountPath: /etc/cfg}
              volumes:
              - {name: scratch, emptyDir: {}}
              - name: host
                hostPath: {path: \(hostDir), type: DirectoryOrCreate}
              - name: cfg
                configMap: {name: web-config}
            """)
        let p = try await h.waitReady("vols")
        let id = try #require(Self.containerID(p, "app"))
        let cfg = try #require(await h.mock.containerConfig(id: id))
        let emptyDir = "/tmp/inplaced-test-pods/11111111-2222-3333-4444-555555555555/volumes/kubernetes.io~empty-dir/scratch"
        #expect(
            cfg.mounts == [
                Mount(containerPath: "/scratch", hostPath: emptyDir),
                Mount(containerPath: "/host", hostPath: hostDir, readonly: true),
                Mount(containerPath: "/sub", hostPath: emptyDir + "/a/b"),
            ])
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: emptyDir + "/a/b", isDirectory: &isDir) && isDir.boolValue)
        #expect(FileManager.default.fileExists(atPath: hostDir, isDirectory: &isDir) && isDir.boolValue)
        let events = try await h.client.events(namespace: "default", name: "vols").items
        #expect(events.contains { $0.reason == "UnsupportedVolume" && $0.message.contains("\"cfg\" (configMap)") })

        // Deleting the pod removes its emptyDir directory, never the hostPath.
        await h.applyNothing()
        try await h.wait("emptyDir removed") { FileManager.default.fileExists(atPath: emptyDir) ? nil : true }
        #expect(FileManager.default.fileExists(atPath: hostDir))
    }

    @Test func hostPathTypeMismatchKeepsContainerCreatingWithFailedMount() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: badmount}
            spec:
              containers:
              - name: app
                image: nginx:1.25
                volumeMounts: [{name: host, mountPath: /host}]
              volumes:
              - name: host
                hostPath: {path: /etc/hostname, type: Directory}
            """)
        let waiting = try await h.wait("FailedMount") { () -> ContainerStateWaiting? in
            let p = try await h.pod("badmount")
            guard let w = p.container("app")?.state.waiting, w.message?.contains("hostPath type check failed") == true else { return nil }
            return w
        }
        #expect(waiting.reason == "ContainerCreating")
        #expect(
            waiting.message == "MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: /etc/hostname is not a directory"
        )
        #expect(await h.mock.calls(.createContainer).isEmpty)
        let events = try await h.client.events(namespace: "default", name: "badmount").items
        #expect(events.contains { $0.reason == "FailedMount" && $0.type == "Warning" })
    }

    @Test func restartCountContinuesFromLogFilesWhenNothingElseRemembers() async throws {
        let uid = "b13b13b1-0000-4000-8000-\(UUID().uuidString.suffix(12).lowercased())"
        let logDir = "/tmp/inplaced-test-logs/default_logs_\(uid)/app"
        try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: "/tmp/inplaced-test-logs/default_logs_\(uid)") }
        for n in 0...3 { #expect(FileManager.default.createFile(atPath: "\(logDir)/\(n).log", contents: Data("old \(n)\n".utf8))) }
        #expect(FileManager.default.createFile(atPath: "\(logDir)/2.log.20260101-000000", contents: Data()))
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: logs, uid: \(uid)}
            spec:
              containers:
              - {name: app, image: nginx:1.25}
            """)
        let p = try await h.waitReady("logs")
        #expect(p.container("app")?.restartCount == 4)
        let id = try #require(Self.containerID(p, "app"))
        let cfg = try #require(await h.mock.containerConfig(id: id))
        #expect(cfg.attempt == 4)
        #expect(cfg.logPath == "app/4.log")
        #expect(cfg.annotations[KubeletLabels.containerRestartCount] == "4")
        #expect(try String(contentsOfFile: "\(logDir)/0.log", encoding: .utf8) == "old 0\n")
    }
}
