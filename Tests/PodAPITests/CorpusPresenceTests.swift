import Foundation
import Testing

/// The optional corpus tier's switch (see `Corpus`). Without the corpus, EdgeCorpusTests and
/// PublicCorpusTests are skipped and the repository's own fixtures still cover the loader; a run
/// that must include the corpus (CI sets INPLACED_REQUIRE_CORPUS=1) fails here instead, naming the
/// directory it looked in, so the tier cannot be skipped there by accident.
@Suite struct CorpusPresenceTests {
    @Test(.enabled(if: Corpus.isRequired, "INPLACED_REQUIRE_CORPUS is not 1: the corpus tier is optional"))
    func corpusIsPresentWhenRequired() {
        for dir in [Corpus.edge, Corpus.publicDirectory] where !Corpus.isDirectory(dir) {
            Issue.record(
                """
                INPLACED_REQUIRE_CORPUS=1 but the corpus directory \(dir) does not exist \
                (shared directory: \(Corpus.sharedDirectory); set INPLACED_SHARED_DIR to the directory \
                holding corpus/edge and corpus/public)
                """)
        }
    }
}
