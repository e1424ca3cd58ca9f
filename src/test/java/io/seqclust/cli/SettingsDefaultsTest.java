package io.seqclust.cli;

import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.clustering.Rddc;
import io.seqclust.config.ConfiguredModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The service and {@code evaluate} start from one defaults object per model, and read a setting the same way. */
class SettingsDefaultsTest {

    private static ParseResult evaluate(String... args) {
        return Cli.commandLine().parseArgs(args).subcommand();
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void theServiceAndEvaluateUseTheSameDefaultsObject(ModelKind kind) {
        Record service = ConfiguredModel.settings(kind, key -> null, ModelSettings.validator());
        Record offline = ModelOptions.settings(kind, evaluate("evaluate", "--name", "any", "--model", kind.id()),
                ModelSettings.validator());
        assertSame(kind.spec().defaults(), service);
        assertSame(service, offline);
    }

    @Test
    void aKeyAndItsOptionGiveTheSameSettings() {
        Map<String, String> config = Map.of("seqclust.rddc.epochs", "7", "seqclust.rddc.selection", "consensus",
                "seqclust.rddc.learning-rate", "0.01");
        Rddc.Settings service = (Rddc.Settings) ConfiguredModel.settings(ModelKind.RDDC, config::get, ModelSettings.validator());
        Rddc.Settings offline = (Rddc.Settings) ModelOptions.settings(ModelKind.RDDC, evaluate("evaluate", "--name", "any",
                "--model", "rddc", "--epochs", "7", "--selection", "consensus", "--learning-rate", "0.01"), ModelSettings.validator());
        assertEquals(service, offline);
        assertEquals(7, service.epochs());
        assertEquals(Rddc.Settings.DEFAULTS.hiddenUnits(), service.hiddenUnits());
    }
}
