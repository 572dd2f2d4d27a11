import CRIProto
import Foundation

/// Signal names as CRI's `Signal` enum spells them (`SIGNAL_<NAME>`), in the enum's order:
/// the name at index i has enum value i + 1 (0 is `SIGNAL_RUNTIME_DEFAULT`).
private let criSignalNames: [String] = [
    "SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT",
    "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGSEGV", "SIGSTKFLT",
    "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2",
    "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ", "SIGRTMIN",
    "SIGRTMINPLUS1", "SIGRTMINPLUS2", "SIGRTMINPLUS3", "SIGRTMINPLUS4", "SIGRTMINPLUS5", "SIGRTMINPLUS6",
    "SIGRTMINPLUS7", "SIGRTMINPLUS8", "SIGRTMINPLUS9", "SIGRTMINPLUS10", "SIGRTMINPLUS11", "SIGRTMINPLUS12",
    "SIGRTMINPLUS13", "SIGRTMINPLUS14", "SIGRTMINPLUS15",
    "SIGRTMAXMINUS14", "SIGRTMAXMINUS13", "SIGRTMAXMINUS12", "SIGRTMAXMINUS11", "SIGRTMAXMINUS10",
    "SIGRTMAXMINUS9", "SIGRTMAXMINUS8", "SIGRTMAXMINUS7", "SIGRTMAXMINUS6", "SIGRTMAXMINUS5", "SIGRTMAXMINUS4",
    "SIGRTMAXMINUS3", "SIGRTMAXMINUS2", "SIGRTMAXMINUS1", "SIGRTMAX",
]

/// The mapping between a container's stop signal name (``ContainerRuntime/ContainerConfig/stopSignal``,
/// as the pod spec's `lifecycle.stopSignal` spells it) and CRI's `Signal` enum.
public enum StopSignal {
    /// The CRI enum value for `name`: `""` → `SIGNAL_RUNTIME_DEFAULT` (the image's `StopSignal`,
    /// else SIGTERM); `SIGTERM`, `TERM` and `sigterm` → `SIGNAL_SIGTERM`; `SIGRTMIN+3` →
    /// `SIGNAL_SIGRTMINPLUS3`, `SIGRTMAX-2` → `SIGNAL_SIGRTMAXMINUS2`. nil for a name CRI has no
    /// value for. (containerd 1.6 does not read the field; it stops with the image's signal.)
    public static func criSignal(named name: String) -> Runtime_V1_Signal? {
        var upper = name.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if upper.isEmpty { return .runtimeDefault }
        if !upper.hasPrefix("SIG") { upper = "SIG" + upper }
        upper = upper.replacingOccurrences(of: "+", with: "PLUS").replacingOccurrences(of: "-", with: "MINUS")
        guard let index = criSignalNames.firstIndex(of: upper) else { return nil }
        return Runtime_V1_Signal(rawValue: index + 1)
    }

    /// The name of a CRI signal (`SIGTERM`, `SIGRTMIN+3`), "" for `SIGNAL_RUNTIME_DEFAULT` or an
    /// unknown value.
    public static func name(of signal: Runtime_V1_Signal) -> String {
        let raw = signal.rawValue
        guard raw >= 1, raw <= criSignalNames.count else { return "" }
        return criSignalNames[raw - 1].replacingOccurrences(of: "PLUS", with: "+").replacingOccurrences(of: "MINUS", with: "-")
    }
}
