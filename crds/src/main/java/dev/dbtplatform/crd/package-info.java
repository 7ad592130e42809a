/**
 * The custom resource types of dbt-platform (group {@code dbtplatform.dev}, version
 * {@code v1alpha1}). The CRD YAML under config/crd/ is generated from these classes by the build.
 * Fields are public: these are plain data carriers whose shape is the API.
 */
package dev.dbtplatform.crd;
