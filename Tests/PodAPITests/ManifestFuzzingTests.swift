import Foundation
import ManifestFuzzing
import Testing

@testable import PodAPI

/// The fuzzer's generator (the ManifestFuzzing library behind inplaced-fuzz) run in-process for a
/// few thousand inputs from a fixed seed: every input must load to pods, errors or the empty-file
/// warning, each naming the file. (The long runs, timed, are scripts/fuzz.sh; no test asserts time.)
@Suite struct ManifestFuzzingTests {
    static let seeds = SeedCorpus.load(directories: [Fixtures.directory])

    @Test func generatedInputsLoadToPodsOrErrorsNamingTheFile() async {
        // Inputs up to 16 KiB, so that the debug build runs them in seconds, on a low-priority
        // thread of their own (see BackgroundThread).
        let seeds = Self.seeds
        let (accepted, rejected, problems) = await BackgroundThread.run { () -> (Int, Int, [String]) in
            let generator = InputGenerator(seeds: seeds, seed: 20_261_202, typicalCap: 16 << 10, largeEvery: 0)
            var accepted = 0
            var rejected = 0
            var problems: [String] = []
            for index in 0..<UInt64(2_000) {
                let input = generator.input(at: index)
                let r = ManifestLoader.load(data: input.bytes, fileName: input.fileName)
                let context = "input \(index): \(input.recipe)"
                if r.file != input.fileName { problems.append("\(context): result names \(r.file)") }
                if r.pods.isEmpty && r.errors.isEmpty && r.warnings.isEmpty { problems.append("\(context): no pod, error or warning") }
                if !r.errors.allSatisfy({ $0.file == input.fileName && !$0.message.isEmpty }) {
                    problems.append("\(context): an error without the file or a message: \(r.errors)")
                }
                if !r.pods.allSatisfy({ $0.file == input.fileName }) { problems.append("\(context): a pod without the file") }
                if r.errors.contains(where: { OutcomeClass.isSuspicious($0.message) }) { problems.append("\(context): \(r.errors)") }
                if !r.pods.isEmpty { accepted += 1 }
                if !r.errors.isEmpty { rejected += 1 }
            }
            return (accepted, rejected, problems)
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // The generator reaches both sides of the reader.
        #expect(accepted > 50)
        #expect(rejected > 1_000)
    }

    @Test func anInputDependsOnlyOnTheSeedAndItsIndex() {
        let a = InputGenerator(seeds: Self.seeds, seed: 7)
        let b = InputGenerator(seeds: Self.seeds, seed: 7)
        for index in [UInt64(0), 1, 99, 12_345] {
            #expect(a.input(at: index).bytes == b.input(at: index).bytes)
            #expect(a.input(at: index).recipe == b.input(at: index).recipe)
        }
        #expect(a.input(at: 3).bytes != InputGenerator(seeds: Self.seeds, seed: 8).input(at: 3).bytes)
    }

    @Test func outcomeClassesDropPathsNumbersAndQuotedText() {
        #expect(OutcomeClass.kind(of: "spec.containers[3].image: Required value") == "Required value")
        #expect(OutcomeClass.kind(of: "yaml: line 12: did not find expected key") == "yaml: did not find expected key")
        #expect(
            OutcomeClass.kind(of: "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain")
                == "Invalid value: \"…\": a lowercase RFC N subdomain")
        #expect(
            OutcomeClass.kind(of: "yaml: line 3: invalid leading UTF-8 octet (0xff at byte 41)")
                == "yaml: invalid leading UTF-N octet (N at byte N)")
    }
}
