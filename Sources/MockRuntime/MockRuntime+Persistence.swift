import Foundation

extension MockRuntime {
    /// Writes any unsaved change now and waits for it (and for a save in flight).
    /// No effect without a state file.
    /// - Throws: the encoding or file-system error of the write.
    public func flush() async throws {
        guard stateFile != nil else { return }
        if dirty {
            try await writeSnapshot()
        } else if let lastWrite {
            try await lastWrite.value
        }
    }

    /// Marks the node changed and makes sure a coalescing save is scheduled.
    func stateChanged() {
        guard stateFile != nil else { return }
        dirty = true
        guard !saveLoopRunning else { return }
        saveLoopRunning = true
        Task { await self.saveLoop() }
    }

    /// Saves while changes keep coming, at most one write per `saveDelay` + write time.
    private func saveLoop() async {
        while dirty {
            if saveDelayNanoseconds > 0 { try? await Task.sleep(nanoseconds: saveDelayNanoseconds) }
            guard dirty else { break }  // a flush saved meanwhile
            do {
                try await writeSnapshot()
                lastSaveError = nil
            } catch {
                lastSaveError = "\(error)"
                break  // retried at the next change or flush
            }
        }
        saveLoopRunning = false
    }

    /// Snapshots the node (O(1), copy-on-write) and writes it off the actor, after the previous
    /// write, so files are written in snapshot order.
    private func writeSnapshot() async throws {
        guard let url = stateFile else { return }
        dirty = false
        let snapshot = node
        let previous = lastWrite
        let write = Task.detached(priority: .utility) {
            _ = await previous?.result
            try Self.write(snapshot, to: url)
        }
        lastWrite = write
        do {
            try await write.value
        } catch {
            dirty = true
            throw error
        }
    }

    /// - Throws: ``MockRuntimeError/unwritableStateFile(path:detail:)`` with the system's reason.
    private static func write(_ state: NodeState, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let data = try encoder.encode(state.persisted)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)  // temporary file in the same directory + rename
        } catch {
            throw MockRuntimeError.unwritableStateFile(path: url.path, detail: Self.reason(error))
        }
    }

    /// The system's reason for a file error ("No space left on device"), not Foundation's
    /// `NSCocoaErrorDomain` dump.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }

    /// The saved node, or nil when the file does not exist.
    static func loadState(from url: URL) throws -> NodeState? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let data = try Data(contentsOf: url)
            let saved = try JSONDecoder().decode(PersistedNodeState.self, from: data)
            guard saved.format == PersistedNodeState.currentFormat else {
                throw MockRuntimeError.unreadableStateFile(path: url.path, detail: "unsupported format \(saved.format)")
            }
            return NodeState(saved)
        } catch let error as MockRuntimeError {
            throw error
        } catch {
            throw MockRuntimeError.unreadableStateFile(path: url.path, detail: "\(error)")
        }
    }
}
