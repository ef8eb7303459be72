package io.peerlink.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ReportTest {

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    @Test
    void aCleanRunIsOneWellFormedPageWithThreeCharts(@TempDir Path dir) throws Exception {
        SimResult r = new Simulation(SimulationTest.small(5).build()).run();
        Path file = dir.resolve("r.html");
        Report.write(r, file);
        String html = Files.readString(file);
        Document doc = parse(html); // well-formed (XHTML syntax), or this throws
        NodeList svgs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertThat(svgs.getLength()).isEqualTo(3);
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertThat(lines.getLength()).isEqualTo(3);
        String points = ((Element) lines.item(0)).getAttribute("points");
        assertThat(points.split(" ")).hasSize(r.samples().size());
        // a fault interval per fault and chart
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect")
                        .getLength())
                .isEqualTo(3 * r.schedule().size());
        assertThat(html)
                .contains("invariants: ok", "<code>loss-detected</code></td><td class=\"ok\">held")
                .doesNotContain("src=", "href=", "<script");
    }

    @Test
    void aViolationIsMarkedWhereItHappened() throws Exception {
        SimResult r = new Simulation(PlantedBugsTest.options(1, PlantedBugsTest.DEDUP_BY_ADDRESS)).run();
        assertThat(r.violation()).isNotNull();
        Document doc = parse(Report.html(r));
        NodeList marks = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
        assertThat(marks.getLength()).isEqualTo(3);
        Element mark = (Element) marks.item(0);
        double x = Double.parseDouble(mark.getAttribute("x1"));
        double expected =
                1000.0 * r.violation().atMillis() / r.options().duration().toMillis();
        assertThat(x)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.1))
                .isLessThan(1000.0);
        assertThat(mark.getTextContent()).isEqualTo("one-dial-per-peer");
        assertThat(Report.html(r))
                .contains("violated: <b>one-dial-per-peer</b>")
                .contains("<code>one-dial-per-peer</code></td><td class=\"bad\">violated at "
                        + r.violation().atMillis())
                .contains("<code>mesh-complete</code></td><td class=\"ok\">held");
    }
}
