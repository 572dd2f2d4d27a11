import Foundation
import ManifestFuzzing
import PodAPI

/// The fuzzing loop: make input n, keep it for the crash handler, load it, time it, check it.
struct FuzzRun {
    let options: FuzzOptions
    let generator: InputGenerator
    var stats = FuzzStats()

    init(options: FuzzOptions, seeds: [FuzzSeed]) {
        self.options = options
        generator = InputGenerator(seeds: seeds, seed: options.seed, typicalCap: options.maxBytes, largeEvery: options.largeEvery)
    }

    func path(_ kind: String, _ index: UInt64, _ input: FuzzInput) -> String {
        let ext = (input.fileName as NSString).pathExtension
        return (options.outputDirectory as NSString).appendingPathComponent("\(kind)-\(options.seed)-\(index).\(ext)")
    }

    func save(_ input: FuzzInput, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(input.bytes))
        let note = "\(input.fileName)\n\(input.recipe)\n"
        _ = FileManager.default.createFile(atPath: path + ".recipe", contents: Data(note.utf8))
    }

    mutating func run() {
        let start = Clock.nanoseconds()
        let deadline = options.seconds.map { start + UInt64($0 * 1e9) }
        let hangLimit = UInt64(options.hangSeconds * 1e9)
        var index: UInt64 = 0
        while options.inputs.map({ index < $0 }) ?? true {
            if let d = deadline, Clock.nanoseconds() >= d { break }
            let rssAtStart = Clock.peakRSSKiB()
            let g0 = Clock.nanoseconds()
            let input = generator.input(at: index)
            let crashPath = path("crash", index, input)
            let rssBefore = Clock.peakRSSKiB()
            if rssBefore - rssAtStart > stats.generatorRise.kib { stats.generatorRise = (rssBefore - rssAtStart, index) }
            CrashGuard.arm(input.bytes, path: crashPath)
            HangWatchdog.begin(path: path("hang", index, input))
            let t0 = Clock.nanoseconds()
            let c0 = Clock.threadCPUNanoseconds()
            let result = ManifestLoader.load(data: input.bytes, fileName: input.fileName)
            let c1 = Clock.threadCPUNanoseconds()
            let t1 = Clock.nanoseconds()
            HangWatchdog.end()
            CrashGuard.disarm()
            stats.generateNanoseconds += t0 - g0
            // An input's cost is its CPU time: wall time also counts whatever else the machine runs.
            let cpu = c1 - c0
            stats.record(index: index, input: input, result: result, nanoseconds: cpu, wallNanoseconds: t1 - t0)
            // The high-water mark raised while the loader ran (not while the input was made).
            let rss = Clock.peakRSSKiB()
            if rss > rssBefore, rss - rssBefore > stats.peakRSS.kib {
                stats.peakRSS = (rss - rssBefore, index, input.bytes.count, input.recipe)
            }
            if cpu > hangLimit {
                let p = path("hang", index, input)
                save(input, to: p)
                stats.hangs.append((index, cpu, p))
                print(
                    "hang: input \(index) took \(Report.seconds(cpu)) of CPU (\(Report.seconds(t1 - t0)) wall, \(input.bytes.count) bytes, "
                        + "\(input.recipe)); saved to \(p)")
            }
            if let problem = FuzzStats.invariantProblem(result, fileName: input.fileName) {
                let p = path("invariant", index, input)
                save(input, to: p)
                stats.brokenInvariants.append((index, problem, p))
                print("broken invariant: input \(index): \(problem); saved to \(p)")
            }
            for e in result.errors where OutcomeClass.isSuspicious(e.message) {
                let kind = OutcomeClass.kind(of: e.message)
                if stats.suspicious[kind] == nil {
                    let p = path("suspicious", index, input)
                    save(input, to: p)
                    stats.suspicious[kind] = (index, p)
                    print("suspicious message: input \(index): \(e.message.prefix(300)); saved to \(p)")
                }
            }
            index += 1
            if options.progressEvery > 0, index % options.progressEvery == 0 {
                let s = Double(Clock.nanoseconds() - start) / 1e9
                print(
                    "progress: \(index) inputs, \(String(format: "%.1f", s)) s, \(Int(Double(index) / s)) inputs/s, "
                        + "\(stats.classes.count) classes, RSS \(Clock.currentRSSKiB()) KiB (peak \(Clock.peakRSSKiB()) KiB)")
                fflush(nil)
            }
        }
        Report.print(stats, options: options, nanoseconds: Clock.nanoseconds() - start, generator: generator)
    }
}
