package io.seqclust.api;

import io.seqclust.assignment.ServingState;
import io.seqclust.clustering.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the topology serves a model: before that, records wait instead of being assigned. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ServingState view;

    public ModelReadiness(ServingState view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        LoadedModel model = view.served();
        return HealthCheckResponse.named("seqclust-model")
                .status(model != null)
                .withData("model", model == null ? "none" : model.name())
                .withData("version", model == null ? 0 : model.version())
                .build();
    }
}
