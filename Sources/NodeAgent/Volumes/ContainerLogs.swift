import Foundation

/// The container log files kubelet's layout gives: `<pod log dir>/<container>/<restartCount>.log`,
/// rotated copies as `<restartCount>.log.<timestamp>`.
enum ContainerLogs {
    /// One more than the highest `<N>.log` (or rotated `<N>.log.*`) in the container's log
    /// directory, 0 when there is none or the directory cannot be read; as kubelet's
    /// calcRestartCountByLogDir, which keeps restartCount from resetting when the runtime lost
    /// its containers (bug case B13).
    static func nextRestartCount(podLogDirectory: String, container: String) -> Int {
        guard !podLogDirectory.isEmpty,
            let names = try? FileManager.default.contentsOfDirectory(atPath: "\(podLogDirectory)/\(container)")
        else { return 0 }
        var highest = -1
        for name in names {
            guard let dot = name.firstIndex(of: "."), name[dot...].hasPrefix(".log"),
                let n = Int(name[..<dot]), n >= 0
            else { continue }
            highest = max(highest, n)
        }
        return highest + 1
    }
}
