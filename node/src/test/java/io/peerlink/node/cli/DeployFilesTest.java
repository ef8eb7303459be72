package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.node.config.ConfigLoader;
import io.peerlink.node.config.EnvOverrides;
import io.peerlink.node.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The files of {@code deploy/} against the binary: each runs the launcher of the image (or of the install) with a
 * {@code run} command line picocli accepts, sets only {@code PEERLINK_*} variables that {@code peerlink run}
 * reads, and, with its config file, gives a configuration {@link ConfigLoader} accepts whose listen and admin
 * ports, key and trust paths match the ports published and the volumes mounted. No network, no container runtime.
 */
class DeployFilesTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path DEPLOY = MODULE.resolveSibling("deploy");
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Where the image (node/pom.xml, profile {@code image}) and the systemd unit put the launcher. */
    private static final String LAUNCHER = "/opt/peerlink/peerlink";

    private static final int P2P_PORT = 7000;
    private static final int ADMIN_PORT = 9100;

    @TempDir
    Path tmp;

    @Test
    void imageRunsTheLauncherFromSrcMainBin() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(MODULE.resolve("pom.xml").toFile());
        String jib = "//profile[id='image']//plugin[artifactId='jib-maven-plugin']/configuration";
        assertThat(texts(pom, jib + "/container/entrypoint/arg")).containsExactly(LAUNCHER);
        List<String> args = texts(pom, jib + "/container/args/arg");
        assertThat(runCommand(args, Map.of()).config).isEqualTo(Path.of("/etc/peerlink/node.toml"));
        assertThat(texts(pom, jib + "/container/ports/port"))
                .containsExactly(String.valueOf(P2P_PORT), String.valueOf(ADMIN_PORT));
        assertThat(texts(pom, jib + "/extraDirectories/paths/path/from")).containsExactly("src/main/bin");
        assertThat(texts(pom, jib + "/extraDirectories/paths/path/into"))
                .containsExactly(Path.of(LAUNCHER).getParent().toString());
        assertThat(texts(pom, jib + "/extraDirectories/permissions/permission/file"))
                .containsExactly(LAUNCHER);

        Path script = MODULE.resolve("src/main/bin").resolve(Path.of(LAUNCHER).getFileName());
        assertThat(script).isExecutable();
        // Jib's 'packaged' layout: the project jar in classpath/, the dependencies in libs/
        assertThat(Files.readString(script)).contains("$here/classpath/*:$here/libs/*");
    }

    @Test
    void composeRunsFourValidatorsTheBinaryAccepts() throws IOException {
        Path dir = DEPLOY.resolve("compose");
        JsonNode root = YAML.readTree(dir.resolve("compose.yaml").toFile());
        JsonNode services = root.get("services");
        List<String> names = fieldNames(services);
        assertThat(names).containsExactly("v1", "v2", "v3", "v4");
        String setup = Files.readString(dir.resolve("setup.sh"));
        assertThat(setup)
                .contains("for n in " + String.join(" ", names) + ";")
                .contains("key=$here/nodes/$n/node.key")
                .contains("trust=$here/nodes/trust/trust.txt");

        for (String name : names) {
            JsonNode service = merged(root, services.get(name));
            assertThat(service.has("entrypoint"))
                    .as("%s keeps the image's entrypoint, the launcher", name)
                    .isFalse();
            Matcher image = Pattern.compile("\\$\\{PEERLINK_IMAGE:-(.+)}")
                    .matcher(service.get("image").asText());
            assertThat(image.matches()).as(service.get("image").asText()).isTrue();
            assertThat(image.group(1)).isEqualTo("peerlink:" + projectVersion());
            Map<String, String> env = map(service.get("environment"));
            assertThat(EnvOverrides.unknown(env))
                    .as("%s: variables peerlink run does not read", name)
                    .isEmpty();
            Map<Path, Path> volumes = new LinkedHashMap<>(); // container path -> host path
            for (String v : strings(service.get("volumes"))) {
                String[] parts = v.split(":", -1);
                assertThat(parts[0]).as(v).startsWith("./");
                volumes.put(Path.of(parts[1]), dir.resolve(parts[0]).normalize());
            }

            RunCommand run = runCommand(strings(service.get("command")), env);
            Path config = hostPath(volumes, run.config);
            assertThat(config).as("%s: config file on the host", name).isRegularFile();
            RunConfig rc = ConfigLoader.load(config, run.overrides());

            assertThat(rc.node().role()).isEqualTo(Role.VALIDATOR);
            assertThat(rc.node().listen()).isEqualTo(new PeerAddress("0.0.0.0", P2P_PORT));
            assertThat(rc.node().advertise()).isEqualTo(new PeerAddress(name, P2P_PORT));
            assertThat(service.get("hostname").asText()).isEqualTo(name);
            assertThat(rc.node().seeds()).as("%s: seeds", name).isNotEmpty().allSatisfy(seed -> {
                assertThat(names).contains(seed.host());
                assertThat(seed.host()).isNotEqualTo(name);
                assertThat(seed.port()).isEqualTo(P2P_PORT);
            });
            assertThat(rc.settings().admin()).isEqualTo(new PeerAddress("0.0.0.0", ADMIN_PORT));
            assertThat(strings(service.get("ports")))
                    .singleElement()
                    .satisfies(p -> assertThat(p).matches("127\\.0\\.0\\.1:\\d+:" + ADMIN_PORT));
            assertThat(hostPath(volumes, rc.settings().key())).isEqualTo(dir.resolve("nodes/" + name + "/node.key"));
            assertThat(hostPath(volumes, rc.settings().trust())).isEqualTo(dir.resolve("nodes/trust/trust.txt"));
        }
    }

    @Test
    void kubernetesStatefulSetIsConsistentAndItsConfigLoads() throws IOException {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(DEPLOY.resolve("k8s/peerlink.yaml").toFile())
                .readAll()) {
            byKind.put(doc.get("kind").asText(), doc);
        }
        assertThat(byKind).containsOnlyKeys("Service", "ConfigMap", "StatefulSet");
        JsonNode service = byKind.get("Service");
        JsonNode sts = byKind.get("StatefulSet");
        String serviceName = service.at("/metadata/name").asText();
        assertThat(service.at("/spec/clusterIP").asText()).as("headless").isEqualTo("None");
        assertThat(sts.at("/spec/serviceName").asText()).isEqualTo(serviceName);
        assertThat(service.at("/spec/selector"))
                .isEqualTo(sts.at("/spec/selector/matchLabels"))
                .isEqualTo(sts.at("/spec/template/metadata/labels"));
        assertThat(ports(service.at("/spec/ports"), "port"))
                .containsEntry("p2p", P2P_PORT)
                .containsEntry("admin", ADMIN_PORT);
        int replicas = sts.at("/spec/replicas").asInt();
        assertThat(replicas).isGreaterThanOrEqualTo(4);

        JsonNode pod = sts.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.has("command"))
                .as("keeps the image's entrypoint, the launcher")
                .isFalse();
        assertThat(ports(container.get("ports"), "containerPort"))
                .containsEntry("p2p", P2P_PORT)
                .containsEntry("admin", ADMIN_PORT);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("admin");
        assertThat(sts.at("/spec/template/metadata/annotations/prometheus.io~1port")
                        .asText())
                .isEqualTo(String.valueOf(ADMIN_PORT));

        // the environment of pod 0 in namespace 'default', with the downward API filled in as the kubelet does
        Map<String, String> downward =
                Map.of("POD_NAME", sts.at("/metadata/name").asText() + "-0", "POD_NAMESPACE", "default");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.get("env")) {
            String n = e.get("name").asText();
            if (e.has("valueFrom")) {
                assertThat(downward).containsKey(n);
                env.put(n, downward.get(n));
            } else {
                String value = e.get("value").asText();
                for (Map.Entry<String, String> d : downward.entrySet()) {
                    value = value.replace("$(" + d.getKey() + ")", d.getValue());
                }
                assertThat(value).as(n).doesNotContain("$(");
                env.put(n, value);
            }
        }
        assertThat(EnvOverrides.unknown(env))
                .as("variables peerlink run does not read")
                .isEmpty();

        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        for (JsonNode v : pod.get("volumes")) {
            volumes.put(v.get("name").asText(), v);
        }
        Map<Path, String> mounts = new LinkedHashMap<>(); // mount path -> volume name
        for (JsonNode m : container.get("volumeMounts")) {
            mounts.put(Path.of(m.get("mountPath").asText()), m.get("name").asText());
        }

        RunCommand run = runCommand(strings(container.get("args")), env);
        JsonNode configVolume = volumes.get(mountOf(mounts, run.config));
        JsonNode configMap = byKind.get("ConfigMap");
        assertThat(configVolume.at("/configMap/name").asText())
                .isEqualTo(configMap.at("/metadata/name").asText());
        Path config = tmp.resolve(run.config.getFileName());
        Files.writeString(
                config,
                configMap.at("/data").get(run.config.getFileName().toString()).asText());
        RunConfig rc = ConfigLoader.load(config, run.overrides());

        String domain = "." + serviceName + ".default.svc.cluster.local";
        assertThat(rc.node().role()).isEqualTo(Role.VALIDATOR);
        assertThat(rc.node().listen()).isEqualTo(new PeerAddress("0.0.0.0", P2P_PORT));
        assertThat(rc.settings().admin()).isEqualTo(new PeerAddress("0.0.0.0", ADMIN_PORT));
        assertThat(rc.node().advertise()).isEqualTo(new PeerAddress(downward.get("POD_NAME") + domain, P2P_PORT));
        assertThat(rc.node().seeds()).isNotEmpty().allSatisfy(seed -> {
            Matcher m = Pattern.compile(
                            Pattern.quote(sts.at("/metadata/name").asText()) + "-(\\d+)" + Pattern.quote(domain))
                    .matcher(seed.host());
            assertThat(m.matches()).as(seed.host()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isLessThan(replicas);
            assertThat(seed.port()).isEqualTo(P2P_PORT);
        });

        // the trust file: a ConfigMap mounted as a directory (no subPath: its files would never be updated)
        String secrets = Files.readString(DEPLOY.resolve("k8s/secrets.sh"));
        JsonNode trustVolume = volumes.get(mountOf(mounts, rc.settings().trust()));
        assertThat(secrets)
                .contains("echo \"  name: " + trustVolume.at("/configMap/name").asText() + "\"")
                .contains("echo \"  " + rc.settings().trust().getFileName() + ": |\"");
        assertThat(container.get("volumeMounts").findValues("subPath")).isEmpty();

        // the key: copied by the init container from the Secret into the volume the node reads it from
        String keyVolume = mountOf(mounts, rc.settings().key());
        assertThat(volumes.get(keyVolume).has("emptyDir")).isTrue();
        JsonNode init = pod.at("/initContainers/0");
        Map<String, String> initMounts = new LinkedHashMap<>(); // volume name -> mount path
        for (JsonNode m : init.get("volumeMounts")) {
            initMounts.put(m.get("name").asText(), m.get("mountPath").asText());
        }
        String secretVolume = null;
        for (Map.Entry<String, JsonNode> v : volumes.entrySet()) {
            if (v.getValue().has("secret")) {
                secretVolume = v.getKey();
                assertThat(secrets)
                        .contains("echo \"  name: "
                                + v.getValue().at("/secret/secretName").asText() + "\"");
            }
        }
        assertThat(secretVolume).isNotNull();
        String copy = strings(init.get("command")).get(2);
        assertThat(copy)
                .contains(initMounts.get(secretVolume) + "/$(POD_NAME).key")
                .contains(" -m 0600 ")
                .endsWith(" " + initMounts.get(keyVolume) + "/"
                        + rc.settings().key().getFileName());
        assertThat(secrets).contains("peerlink-$i.key"); // $(POD_NAME).key for pods peerlink-0..
        assertThat(sts.at("/metadata/name").asText()).isEqualTo("peerlink");
    }

    @Test
    void systemdUnitRunsTheLauncherWithFlagsAndVariablesTheBinaryKnows() throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(DEPLOY.resolve("systemd/peerlink.service"))) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            assertThat(line).as("%s: key=value", section).contains("=");
            if (section.equals("[Service]")) {
                int eq = line.indexOf('=');
                service.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
        List<String> exec = List.of(service.get("ExecStart").get(0).split("\\s+"));
        assertThat(exec.get(0)).isEqualTo(LAUNCHER);

        // systemd puts LoadCredential=NAME:PATH at %d/NAME
        Path credentials = Path.of("/run/credentials/peerlink.service");
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : service.get("Environment")) {
            int eq = e.indexOf('=');
            env.put(e.substring(0, eq), e.substring(eq + 1).replace("%d", credentials.toString()));
        }
        assertThat(EnvOverrides.unknown(env))
                .as("variables peerlink run does not read")
                .isEmpty();
        RunCommand run = runCommand(exec.subList(1, exec.size()), env);
        assertThat(run.config).isEqualTo(Path.of("/etc/peerlink/node.toml"));
        Path key = run.overrides().key();
        assertThat(key).isNotNull();
        String credential = service.get("LoadCredential").get(0);
        assertThat(key).isEqualTo(credentials.resolve(credential.substring(0, credential.indexOf(':'))));
        assertThat(service.get("RestartPreventExitStatus")).containsExactly(String.valueOf(PeerlinkCli.USAGE));
    }

    /** Parses {@code args} as the binary does; they must be a {@code run} command line. */
    private static RunCommand runCommand(List<String> args, Map<String, String> env) {
        CommandLine.ParseResult parsed = new CommandLine(new PeerlinkCli()).parseArgs(args.toArray(new String[0]));
        assertThat(parsed.subcommand()).as("%s is a run command line", args).isNotNull();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        run.env = env;
        assertThat(run.config).as("%s: --config", args).isNotNull();
        return run;
    }

    /** A compose service with the {@code <<: *x} merge key applied (the tree model reports the alias by name). */
    private static JsonNode merged(JsonNode root, JsonNode service) {
        JsonNode alias = service.get("<<");
        if (alias == null) {
            return service;
        }
        JsonNode base = root.get("x-" + alias.asText());
        assertThat(base).as("anchor of <<: *%s", alias.asText()).isNotNull();
        ObjectNode out = base.deepCopy();
        out.setAll((ObjectNode) service);
        out.remove("<<");
        return out;
    }

    private static Path hostPath(Map<Path, Path> volumes, Path inContainer) {
        for (Map.Entry<Path, Path> v : volumes.entrySet()) {
            if (inContainer.startsWith(v.getKey())) {
                return v.getValue().resolve(v.getKey().relativize(inContainer));
            }
        }
        throw new AssertionError(inContainer + " is on no volume of " + volumes.keySet());
    }

    private static String mountOf(Map<Path, String> mounts, Path inContainer) {
        for (Map.Entry<Path, String> m : mounts.entrySet()) {
            if (inContainer.getParent().equals(m.getKey())) {
                return m.getValue();
            }
        }
        throw new AssertionError(inContainer + " is in no mounted directory of " + mounts.keySet());
    }

    private static Map<String, Integer> ports(JsonNode list, String field) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode p : list) {
            out.put(p.get("name").asText(), p.get(field).asInt());
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("%s is a list", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : fieldNames(object)) {
            out.put(k, object.get(k).asText());
        }
        return out;
    }

    private static String projectVersion() throws IOException {
        try {
            Document pom = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(MODULE.resolve("pom.xml").toFile());
            return texts(pom, "/project/parent/version").get(0);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static List<String> texts(Document doc, String xpath) throws IOException {
        try {
            NodeList nodes =
                    (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add(nodes.item(i).getTextContent().strip());
            }
            return out;
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IOException(e);
        }
    }
}
