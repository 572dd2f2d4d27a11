import Foundation
import ManifestFuzzing
import PodAPI

// inplaced-fuzz: runs the manifest reader (ManifestLoader) in-process on generated inputs; see
// FuzzOptions.usage and docs/fuzzing.md.

let options: FuzzOptions
do {
    options = try FuzzOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

if !options.replay.isEmpty {
    for file in options.replay {
        let t0 = Clock.nanoseconds()
        let name = file.hasSuffix(".recipe") ? String(file.dropLast(".recipe".count)) : file
        let result = ManifestLoader.load(file: name)
        let ns = Clock.nanoseconds() - t0
        print(
            "\(name): \(result.pods.count) pods, \(result.errors.count) errors, \(result.warnings.count) warnings in \(Report.seconds(ns))")
        for e in result.errors.prefix(10) { print("  error: \(e.description.prefix(400))") }
    }
    print("peak RSS: \(Clock.peakRSSKiB()) KiB")
    exit(0)
}

try? FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
let directories = options.corpusDirectories
let seeds = SeedCorpus.load(directories: directories)
let parsed = seeds.filter { !$0.documents.isEmpty }.count
print(
    "inplaced-fuzz: seed \(options.seed); corpus: \(seeds.count) seeds (\(parsed) parse, for structural mutations) from "
        + "built-ins\(directories.isEmpty ? "" : " + " + directories.joined(separator: ", ")), digest "
        + String(SeedCorpus.digest(seeds), radix: 16))
print(
    "limit: \(options.inputs.map { "\($0) inputs" } ?? "no input count")\(options.seconds.map { ", \($0) s" } ?? ""); "
        + "output directory \(options.outputDirectory)")

var run = FuzzRun(options: options, seeds: seeds)
if let index = options.dump {
    let input = run.generator.input(at: index)
    let p = run.path("input", index, input)
    run.save(input, to: p)
    print("input \(index): \(input.bytes.count) bytes as \(input.fileName): \(input.recipe)\nwritten to \(p)")
    exit(0)
}

CrashGuard.install(capacity: run.generator.largeCap + 16)
HangWatchdog.start(abortAfter: options.abortSeconds)
run.run()
let findings = run.stats.hangs.count + run.stats.brokenInvariants.count
exit(findings > 0 ? 1 : 0)
