package io.seqclust.it;

import java.util.HashMap;
import java.util.Map;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}). */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(normalise(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** Labels sorted, so a series reads the same whatever order the registry wrote them in. */
    static String normalise(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        String[] labels = series.substring(brace + 1, series.length() - 1).split(",");
        java.util.Arrays.sort(labels);
        return series.substring(0, brace) + "{" + String.join(",", labels) + "}";
    }

    public static double value(Map<String, Double> samples, String series) {
        return samples.getOrDefault(normalise(series), 0.0);
    }
}
