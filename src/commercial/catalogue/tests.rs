use std::collections::HashSet;
use std::path::Path;

use super::*;

fn catalogue() -> &'static Catalogue {
    match Catalogue::embedded() {
        Ok(catalogue) => catalogue,
        Err(error) => panic!("{error}"),
    }
}

const VISIO: &str = r#"
name = "Microsoft Visio"
vendor = "Microsoft"
aliases = ["Visio", "MS Visio"]
kind = "application"
source = "https://www.microsoft.com/microsoft-365/visio/flowchart-software"

[[licence]]
expression = "LicenseRef-Microsoft-Visio"
name = "Microsoft Software License Terms"
class = "proprietary"
models = ["perpetual"]
source = "https://www.microsoft.com/licensing/"

[[alternative]]
name = "draw.io Desktop"
licence = "Apache-2.0"
note = "draws the same diagrams"
source = "https://github.com/jgraph/drawio-desktop"
"#;

fn one(file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
    Catalogue::from_files([(file.to_owned(), Some(text))])
}

#[test]
fn the_embedded_catalogue_reads_and_has_at_least_40_products() {
    let catalogue = catalogue();
    assert!(catalogue.products().len() >= 40, "{} products", catalogue.products().len());
    for product in catalogue.products() {
        assert!(!product.licences.is_empty(), "{}", product.id);
        let commercial = product.licences.iter().any(|l| l.class.is_commercial());
        assert!(commercial, "{}: the catalogue is for commercial and source-available products", product.id);
        assert!(!product.alternatives.is_empty(), "{}: name at least one open alternative", product.id);
    }
}

#[test]
fn every_fact_has_a_source_url() {
    let is_url = |text: &str| text.starts_with("https://") || text.starts_with("http://");
    for product in catalogue().products() {
        assert!(is_url(&product.source), "{}", product.id);
        assert!(product.lifecycle.as_ref().is_none_or(|l| is_url(&l.source)), "{}", product.id);
        assert!(product.licences.iter().all(|l| is_url(&l.source)), "{}", product.id);
        assert!(product.alternatives.iter().all(|a| is_url(&a.source)), "{}", product.id);
    }
}

/// The products the brief names must be there, under their usual names.
#[test]
fn the_products_deliveries_carry_are_found_by_their_usual_names() {
    let catalogue = catalogue();
    let expected = [
        ("Windows Server", "windows-server"),
        ("RHEL", "red-hat-enterprise-linux"),
        ("SUSE Linux Enterprise Server", "suse-linux-enterprise-server"),
        ("Oracle Database", "oracle-database"),
        ("SQL Server", "microsoft-sql-server"),
        ("DB2", "ibm-db2"),
        ("vSphere", "vmware-esxi"),
        ("ESXi", "vmware-esxi"),
        ("Oracle VM", "oracle-vm-server"),
        ("Splunk Enterprise", "splunk-enterprise"),
        ("Nessus", "tenable-nessus"),
        ("Qualys", "qualys-vmdr"),
        ("Tableau", "tableau"),
        ("Power BI", "microsoft-power-bi"),
        ("MATLAB", "matlab"),
        ("ArcGIS Pro", "esri-arcgis-pro"),
        ("ArcGIS Server", "esri-arcgis-enterprise"),
        ("FME", "safe-software-fme"),
        ("Visual Studio", "visual-studio"),
        ("IntelliJ IDEA Ultimate", "intellij-idea-ultimate"),
        ("Docker Desktop", "docker-desktop"),
        ("GitHub Enterprise Server", "github-enterprise-server"),
        ("GitLab EE", "gitlab-enterprise-edition"),
        ("Jira", "jira-software"),
        ("Confluence", "confluence"),
        ("Elasticsearch", "elasticsearch"),
        ("MongoDB", "mongodb"),
        ("Redis", "redis"),
        ("Terraform", "terraform"),
        ("Vault", "hashicorp-vault"),
        ("Visio", "microsoft-visio"),
        ("Microsoft 365 Apps", "microsoft-office"),
        ("Windows 11 Enterprise", "windows-11-enterprise"),
        ("Citrix", "citrix-virtual-apps-and-desktops"),
        ("Veeam", "veeam-backup-and-replication"),
        ("SAP HANA", "sap-hana"),
        ("Adobe Acrobat", "adobe-acrobat"),
        ("Bitbucket", "bitbucket-data-center"),
        ("Nexus Repository Pro", "sonatype-nexus-repository-pro"),
        ("Artifactory Pro", "jfrog-artifactory-pro"),
        ("Datadog Agent", "datadog"),
        ("New Relic", "new-relic"),
        ("CrowdStrike Falcon", "crowdstrike-falcon"),
        ("OpenShift", "red-hat-openshift"),
        ("WebLogic", "oracle-weblogic-server"),
        ("WebSphere", "ibm-websphere-application-server"),
        ("Exchange Server", "microsoft-exchange-server"),
        ("SharePoint", "microsoft-sharepoint-server"),
        ("AutoCAD", "autodesk-autocad"),
        ("Qlik Sense", "qlik-sense"),
        ("SAS", "sas"),
    ];
    for (name, id) in expected {
        assert_eq!(catalogue.find(name).map(|p| p.id.as_str()), Some(id), "{name}");
    }
}

#[test]
fn matching_ignores_case_spaces_and_punctuation() {
    let catalogue = catalogue();
    for spelling in
        ["Microsoft SQL Server", "microsoft-sql-server", "MS SQL", "mssql", "SQL-Server", "sqlserver"]
    {
        assert_eq!(
            catalogue.find(spelling).map(|p| p.id.as_str()),
            Some("microsoft-sql-server"),
            "{spelling}"
        );
    }
    for spelling in ["VMware vSphere", "vmware_vsphere", "VMWARE ESXI", "vSphere Hypervisor"] {
        assert_eq!(catalogue.find(spelling).map(|p| p.id.as_str()), Some("vmware-esxi"), "{spelling}");
    }
    assert!(catalogue.find("left-pad").is_none());
    assert!(catalogue.find("").is_none(), "an empty name matches nothing");
    assert!(catalogue.find("--").is_none(), "punctuation alone matches nothing");
}

#[test]
fn a_declared_name_is_also_tried_with_its_vendor_in_front() {
    let catalogue = one("microsoft-visio.toml", &VISIO.replace("\"Visio\", ", "")).unwrap();
    assert!(catalogue.find("Visio").is_none());
    let found = catalogue.find_declared("Visio", Some("Microsoft")).map(|p| p.id.as_str());
    assert_eq!(found, Some("microsoft-visio"));
    assert!(catalogue.find_declared("Visio", Some("Adobe")).is_none());
    assert!(catalogue.find_declared("Visio", None).is_none());
}

#[test]
fn the_licence_follows_the_version() {
    let catalogue = catalogue();
    let redis = catalogue.find("redis").unwrap();
    let licence = |version: &str| redis.licence_for(Some(version)).map(|l| (l.expression.as_str(), l.class));
    assert_eq!(licence("7.2.5"), Some(("BSD-3-Clause", Openness::OpenSource)));
    assert_eq!(licence("7.4.0"), Some(("LicenseRef-RSALv2 OR SSPL-1.0", Openness::SourceAvailable)));
    assert_eq!(licence("7.4"), Some(("LicenseRef-RSALv2 OR SSPL-1.0", Openness::SourceAvailable)));
    assert_eq!(
        licence("8.0.2"),
        Some(("LicenseRef-RSALv2 OR SSPL-1.0 OR AGPL-3.0-only", Openness::OpenSource))
    );
    assert_eq!(redis.licence_for(None), None, "without a version the licence is unknown");

    let terraform = catalogue.find("Terraform").unwrap();
    assert_eq!(terraform.licence_for(Some("1.5.7")).map(|l| l.expression.as_str()), Some("MPL-2.0"));
    assert_eq!(terraform.licence_for(Some("1.6.0")).map(|l| l.expression.as_str()), Some("BUSL-1.1"));
    assert_eq!(terraform.licence_for(Some("1.10.2")).map(|l| l.expression.as_str()), Some("BUSL-1.1"));

    let visio = catalogue.find("Visio").unwrap();
    assert!(visio.licence_for(None).is_some(), "one licence for every version");
}

#[test]
fn every_lifecycle_product_exists_in_the_endoflife_snapshot() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/endoflife/products-full.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} is not present; lifecycle product names not checked", path.display());
        return;
    };
    let snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names: HashSet<&str> = snapshot["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|product| product["name"].as_str())
        .collect();
    let mut mapped = 0;
    for product in catalogue().products() {
        if let Some(lifecycle) = &product.lifecycle {
            assert!(names.contains(lifecycle.product.as_str()), "{}: {}", product.id, lifecycle.product);
            assert_eq!(lifecycle.source, format!("https://endoflife.date/{}", lifecycle.product));
            mapped += 1;
        }
    }
    assert!(mapped >= 25, "{mapped} products mapped");
}

#[test]
fn a_file_with_an_unknown_key_names_its_line() {
    let text = VISIO.replace("kind = \"application\"", "kind = \"application\"\nprice = 3");
    let error = one("microsoft-visio.toml", &text).unwrap_err();
    assert_eq!(error.line, Some(6), "{error}");
    assert!(error.to_string().starts_with("data/commercial/microsoft-visio.toml:6: unknown field `price`"));
}

#[test]
fn a_file_with_a_wrong_type_or_unknown_model_names_its_line() {
    let error =
        one("v.toml", &VISIO.replace("models = [\"perpetual\"]", "models = \"perpetual\"")).unwrap_err();
    assert_eq!(error.line, Some(12), "{error}");
    let error = one("v.toml", &VISIO.replace("\"perpetual\"", "\"per-seat\"")).unwrap_err();
    assert_eq!(error.line, Some(12), "{error}");
    assert!(error.message.contains("per-seat"), "{error}");
}

#[test]
fn facts_without_sources_are_refused() {
    let error =
        one("v.toml", &VISIO.replace("source = \"https://www.microsoft.com/licensing/\"\n", "")).unwrap_err();
    assert!(error.message.contains("missing field `source`"), "{error}");
    let error =
        one("v.toml", &VISIO.replace("https://github.com/jgraph/drawio-desktop", "github")).unwrap_err();
    assert_eq!(error.message, "[[alternative]] 1: `source` must be a URL, not \"github\"");
}

#[test]
fn licences_must_be_spdx_expressions_with_named_refs() {
    let error = one("v.toml", &VISIO.replace("LicenseRef-Microsoft-Visio", "Microsoft EULA")).unwrap_err();
    assert!(
        error.message.starts_with("[[licence]] 1: `Microsoft EULA` is not an SPDX expression"),
        "{error}"
    );
    let error =
        one("v.toml", &VISIO.replace("name = \"Microsoft Software License Terms\"\n", "")).unwrap_err();
    assert_eq!(
        error.message,
        "[[licence]] 1: `LicenseRef-Microsoft-Visio` names a LicenseRef: give its `name`"
    );
    let error = one("v.toml", &VISIO.replace("models = [\"perpetual\"]\n", "")).unwrap_err();
    assert_eq!(error.message, "[[licence]] 1: a commercial licence needs its `models`");
}

#[test]
fn licence_changes_must_be_in_version_order() {
    let change = "[[licence]]\nsince = \"2.0\"\nexpression = \"MIT\"\nclass = \"open-source\"\nsource = \"https://x.example/\"\n";
    let earlier = change.replace("2.0", "1.10");
    let text = format!("{VISIO}\n{change}\n{earlier}");
    let error = one("v.toml", &text).unwrap_err();
    assert_eq!(error.message, "[[licence]] 3: `since` must follow the entry before");
    let text = format!("{VISIO}\n{}", change.replace("since = \"2.0\"\n", ""));
    let error = one("v.toml", &text).unwrap_err();
    assert_eq!(error.message, "[[licence]] 2: only the first entry may leave out `since`");
}

#[test]
fn two_products_may_not_share_a_name() {
    let other = VISIO.replace("Microsoft Visio", "Visio Viewer");
    let files = [("a.toml".to_owned(), Some(VISIO)), ("b.toml".to_owned(), Some(other.as_str()))];
    let error = Catalogue::from_files(files).unwrap_err();
    assert_eq!(error.to_string(), "data/commercial/b.toml: the name \"Visio\" is also a name of a");
    let error = Catalogue::from_files([("c.toml".to_owned(), None)]).unwrap_err();
    assert_eq!(error.to_string(), "data/commercial/c.toml: not UTF-8 text");
}
