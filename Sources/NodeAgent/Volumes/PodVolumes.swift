import ContainerRuntime
import Foundation
import PodAPI

/// The node-local volumes a pod can have without an API server, set up as kubelet's volume
/// manager does before a container is created:
/// - `emptyDir`: a directory `<podsDirectory>/<uid>/volumes/kubernetes.io~empty-dir/<name>`,
///   created on first use and removed with the pod (`medium: Memory` is a plain directory here);
/// - `hostPath`: the node path, checked or created per its `type` (`DirectoryOrCreate` makes a
///   0755 directory, `FileOrCreate` an empty 0644 file; `Directory`, `File`, `Socket`,
///   `CharDevice`, `BlockDevice` must already be that; "" checks nothing).
/// Other volume types (configMap, secret, projected, persistentVolumeClaim, ...) need the API
/// server: their mounts are skipped and reported once per container start.
struct PodVolumes {
    /// kubelet's `<root-dir>/pods`.
    let podsDirectory: String

    /// The directory holding everything of the pod `uid` (removed with the pod).
    func podDirectory(uid: String) -> String { "\(podsDirectory)/\(uid)" }

    /// The host directory of the pod's emptyDir volume `name`.
    func emptyDirPath(uid: String, name: String) -> String {
        "\(podDirectory(uid: uid))/volumes/kubernetes.io~empty-dir/\(name)"
    }

    /// The CRI mounts of container `c`, creating emptyDir and `...OrCreate` hostPath sources.
    /// - Returns: the mounts, and one message per volume mount skipped as unsupported.
    /// - Throws: ``VolumeSetupFailure`` naming the volume when a mount names no volume, a
    ///   hostPath fails its type check, or a directory cannot be created.
    func mounts(for c: Container, pod: Pod, uid: String) throws -> (mounts: [Mount], skipped: [String]) {
        let volumeMounts = c.other["volumeMounts"]?.arrayValue ?? []
        guard !volumeMounts.isEmpty else { return ([], []) }
        var volumes: [String: JSONValue] = [:]
        for v in pod.spec.other["volumes"]?.arrayValue ?? [] {
            if let name = v["name"]?.stringValue { volumes[name] = v }
        }
        var result: [Mount] = []
        var skipped: [String] = []
        for vm in volumeMounts {
            guard let name = vm["name"]?.stringValue, let mountPath = vm["mountPath"]?.stringValue else { continue }
            let readOnly = vm["readOnly"]?.boolValue ?? false
            let subPath = vm["subPath"]?.stringValue ?? ""
            guard let volume = volumes[name] else {
                throw VolumeSetupFailure(
                    message:
                        "unable to attach or mount volumes: unmounted volumes=[\(name)], unattached volumes=[\(name)]: volume \"\(name)\" is not defined in spec.volumes"
                )
            }
            var source: String
            if volume["emptyDir"] != nil {
                source = emptyDirPath(uid: uid, name: name)
                try makeDirectory(source, volume: name)
            } else if let hostPath = volume["hostPath"] {
                source = hostPath["path"]?.stringValue ?? ""
                try checkHostPath(source, type: hostPath["type"]?.stringValue ?? "", volume: name)
            } else {
                let kind = volume.objectValue?.keys.filter { $0 != "name" }.sorted().first ?? "unknown"
                skipped.append("volume \"\(name)\" (\(kind)) is not supported by inplaced: mount at \(mountPath) skipped")
                continue
            }
            if !subPath.isEmpty {
                guard !subPath.hasPrefix("/"), !subPath.split(separator: "/").contains("..") else {
                    throw VolumeSetupFailure(
                        message:
                            "MountVolume.SetUp failed for volume \"\(name)\" : subPath \"\(subPath)\" must be a relative path not containing '..'"
                    )
                }
                source += "/" + subPath
                if volume["emptyDir"] != nil { try makeDirectory(source, volume: name) }
            }
            result.append(Mount(containerPath: mountPath, hostPath: source, readonly: readOnly))
        }
        return (result, skipped)
    }

    /// Removes the pod's directory (its emptyDir volumes); a missing directory is fine.
    func removePodDirectory(uid: String) {
        try? FileManager.default.removeItem(atPath: podDirectory(uid: uid))
    }

    private func makeDirectory(_ path: String, volume: String, mode: Int = 0o777) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: mode])
        } catch {
            throw VolumeSetupFailure(
                message: "MountVolume.SetUp failed for volume \"\(volume)\" : mkdir \(path): \(error.localizedDescription)")
        }
    }

    private func checkHostPath(_ path: String, type: String, volume: String) throws {
        func fail(_ why: String) -> VolumeSetupFailure {
            VolumeSetupFailure(message: "MountVolume.SetUp failed for volume \"\(volume)\" : hostPath type check failed: \(path) \(why)")
        }
        guard path.hasPrefix("/") else { throw fail("is not an absolute path") }
        var st = stat()
        let exists = stat(path, &st) == 0
        let format = st.st_mode & S_IFMT
        switch type {
        case "", "Unset":
            return
        case "DirectoryOrCreate":
            if !exists {
                try makeDirectory(path, volume: volume, mode: 0o755)
            } else if format != S_IFDIR {
                throw fail("is not a directory")
            }
        case "FileOrCreate":
            if !exists {
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                    throw fail("cannot be created")
                }
            } else if format != S_IFREG {
                throw fail("is not a file")
            }
        case "Directory": if !exists || format != S_IFDIR { throw fail("is not a directory") }
        case "File": if !exists || format != S_IFREG { throw fail("is not a file") }
        case "Socket": if !exists || format != S_IFSOCK { throw fail("is not a socket file") }
        case "CharDevice": if !exists || format != S_IFCHR { throw fail("is not a character device") }
        case "BlockDevice": if !exists || format != S_IFBLK { throw fail("is not a block device") }
        default: throw fail("has an unknown type \"\(type)\"")
        }
    }
}
