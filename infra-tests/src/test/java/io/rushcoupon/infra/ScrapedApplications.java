package io.rushcoupon.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What infra/prometheus/prometheus.yml scrapes, as the {@code application} label each job's
 * relabeling puts on its targets (the value the services' metrics carry as their application tag).
 * Rules and dashboards select by that label, never by job name, so they also work under the
 * Prometheus Operator's ServiceMonitors (infra/k8s/service-monitors.yaml).
 */
final class ScrapedApplications {

    private ScrapedApplications() {
    }

    /** Job name → the application label its targets get, in prometheus.yml's order. */
    static Map<String, String> byJob(Path prometheusYml) {
        Map<String, String> applications = new LinkedHashMap<>();
        for (Object job : Yamls.list(Yamls.loadMap(prometheusYml).get("scrape_configs"))) {
            String name = (String) Yamls.at(job, "job_name");
            String application = null;
            for (Object relabel : Yamls.list(Yamls.at(job, "relabel_configs"))) {
                if ("application".equals(Yamls.at(relabel, "target_label"))) {
                    application = (String) Yamls.at(relabel, "replacement");
                }
            }
            if (application == null) {
                throw new AssertionError("job " + name + " puts no application label on its targets");
            }
            applications.put(name, application);
        }
        return applications;
    }
}
