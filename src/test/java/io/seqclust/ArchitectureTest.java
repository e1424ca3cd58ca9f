package io.seqclust;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.seqclust.model.archfixture.ReachesForKafka;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The layering of README's code map, kept: the maths stays free of the service, and no package cycles. */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seqclust");

    /** The maths (model, math) imports nothing of Kafka, Quarkus, CDI or MicroProfile: it runs anywhere, offline. */
    static final ArchRule PURE_MATHS = noClasses().that().resideInAnyPackage("io.seqclust.model..", "io.seqclust.math..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.quarkus..", "io.smallrye..",
                    "jakarta.enterprise..", "jakarta.inject..", "org.eclipse.microprofile..", "io.vertx..");

    @Test
    void theMathsIsFreeOfTheService() {
        PURE_MATHS.check(PRODUCTION);
    }

    @Test
    void theRuleCatchesAModelClassThatImportsKafka() {
        assertThrows(AssertionError.class, () -> PURE_MATHS.check(new ClassFileImporter().importClasses(ReachesForKafka.class)));
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.seqclust.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void noCyclesBetweenTheModelsParts() {
        slices().matching("io.seqclust.model.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }
}
