/// What changed in a watched directory since its consumer last looked: the entry names inotify
/// reported (complete writes only), or a whole rescan when the names cannot be trusted (the
/// first look, the fallback tick, an inotify queue overflow, the directory replaced).
struct DirectoryChanges: Equatable, Sendable {
    /// Names (not paths) of entries created, written and closed, renamed in or out, deleted or
    /// whose attributes changed.
    var names: Set<String> = []
    /// Every entry must be looked at again.
    var rescan = false

    var isEmpty: Bool { names.isEmpty && !rescan }

    /// Adds `other`'s changes to these.
    mutating func formUnion(_ other: DirectoryChanges) {
        names.formUnion(other.names)
        rescan = rescan || other.rescan
    }
}
