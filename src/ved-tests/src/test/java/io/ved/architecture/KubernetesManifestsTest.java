package io.ved.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ved.runtime.topology.TopologyFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ops/k8s} holds together without a cluster to apply it to (there is none here): every resource the
 * Kustomize files name exists, selectors match the pods' labels, the probes ask the paths and the port the
 * application's endpoint serves, the state directory is a per-pod volume, the instance id is the pod's name, and the
 * topics Job applies a topology file that Ved reads.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("../../ops/k8s");
    private static final Path APP = Path.of("../ved-archetype/src/main/resources/archetype-resources/src/main/java/App.java");
    private final YAMLMapper yaml = new YAMLMapper();

    @Test
    void everyResourceOfTheKustomizationsExists() throws Exception {
        for (Path kustomization : List.of(K8S.resolve("base/kustomization.yaml"), K8S.resolve("secured/kustomization.yaml"))) {
            JsonNode k = yaml.readTree(kustomization.toFile());
            List<String> files = new ArrayList<>();
            k.path("resources").forEach(r -> files.add(r.asText()));
            k.path("patches").forEach(p -> files.add(p.path("path").asText()));
            k.path("configMapGenerator").forEach(g -> g.path("files").forEach(f -> files.add(f.asText())));
            assertThat(files).as(kustomization.toString()).isNotEmpty();
            for (String file : files) {
                assertThat(kustomization.resolveSibling(file)).as(kustomization + " names " + file).exists();
            }
        }
    }

    @Test
    void theStatefulSetProbesServiceAndBudgetFitTheApplication() throws Exception {
        JsonNode set = yaml.readTree(K8S.resolve("base/statefulset.yaml").toFile());
        assertThat(set.path("kind").asText()).isEqualTo("StatefulSet");
        JsonNode labels = set.at("/spec/template/metadata/labels");
        assertThat(set.at("/spec/selector/matchLabels")).isEqualTo(labels);
        JsonNode container = set.at("/spec/template/spec/containers/0");
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));

        int port = container.at("/ports/0/containerPort").asInt();
        assertThat(env.get("VED_HTTP_PORT").path("value").asText()).isEqualTo(Integer.toString(port));
        assertThat(env.get("VED_HTTP_HOST").path("value").asText()).as("probes come from outside the pod").isEqualTo("0.0.0.0");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(env.get("VED_INSTANCE_ID").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");

        String stateDir = env.get("VED_STATE_DIR").path("value").asText();
        String claim = set.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
        assertThat(container.path("volumeMounts")).anySatisfy(m -> {
            assertThat(m.path("name").asText()).isEqualTo(claim);
            assertThat(m.path("mountPath").asText()).isEqualTo(stateDir);
        });

        String app = Files.readString(APP);
        env.keySet().stream().filter(name -> name.startsWith("VED_"))
                .forEach(name -> assertThat(app).as("the application reads " + name).contains("\"" + name + "\""));
        assertThat(app).contains("\"VED_BOOTSTRAP_SERVERS\"").contains("\"VED_SCHEMA_REGISTRY\"").contains("\"VED_CLIENT_CONFIG\"");

        JsonNode service = yaml.readTree(K8S.resolve("base/service.yaml").toFile());
        assertThat(service.at("/spec/clusterIP").asText()).as("headless").isEqualTo("None");
        assertThat(set.at("/spec/serviceName").asText()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(service.at("/spec/selector")).isEqualTo(labels);
        JsonNode budget = yaml.readTree(K8S.resolve("base/pdb.yaml").toFile());
        assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(labels);
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void theTopicsJobAppliesATopologyVedReads() throws Exception {
        JsonNode job = yaml.readTree(K8S.resolve("base/topics-job.yaml").toFile());
        List<String> args = new ArrayList<>();
        job.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("topics", "apply").contains("--topology=/etc/ved/topology/topology.yaml");
        assertThat(job.at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText()).isEqualTo("/etc/ved/topology");
        assertThat(TopologyFileReader.read(K8S.resolve("base/topology.yaml")).domains()).isNotEmpty();
    }

    @Test
    void theSecuredOverlayMountsTheClientSettingsWhereTheApplicationLooks() throws Exception {
        JsonNode patch = yaml.readTree(K8S.resolve("secured/client-secret.yaml").toFile());
        JsonNode container = patch.at("/spec/template/spec/containers/0");
        String config = container.at("/env/0/value").asText();
        assertThat(container.at("/env/0/name").asText()).isEqualTo("VED_CLIENT_CONFIG");
        assertThat(Path.of(config).getParent().toString()).isEqualTo(container.at("/volumeMounts/0/mountPath").asText());
        assertThat(patch.at("/spec/template/spec/volumes/0/secret/secretName").asText()).isEqualTo("ved-client");
        assertThat(Files.readString(K8S.resolve("secured/client.properties.example"))).contains("security.protocol=");

        for (String job : List.of("secured/acls-job.yaml", "secured/topics-job-admin.yaml")) {
            JsonNode spec = yaml.readTree(K8S.resolve(job).toFile()).at("/spec/template/spec");
            List<String> args = new ArrayList<>();
            spec.at("/containers/0/args").forEach(a -> args.add(a.asText()));
            String adminConfig = args.stream().filter(a -> a.startsWith("--command-config=")).findFirst().orElseThrow()
                    .substring("--command-config=".length());
            assertThat(spec.at("/containers/0/volumeMounts")).as(job).anySatisfy(m ->
                    assertThat(m.path("mountPath").asText()).isEqualTo(Path.of(adminConfig).getParent().toString()));
            assertThat(spec.path("volumes")).anySatisfy(v -> assertThat(v.at("/secret/secretName").asText()).isEqualTo("ved-admin"));
        }
        List<String> acls = new ArrayList<>();
        yaml.readTree(K8S.resolve("secured/acls-job.yaml").toFile()).at("/spec/template/spec/containers/0/args")
                .forEach(a -> acls.add(a.asText()));
        assertThat(acls).startsWith("acls", "apply").anyMatch(a -> a.matches("--principal=User:[\\w.-]+"));
    }
}
