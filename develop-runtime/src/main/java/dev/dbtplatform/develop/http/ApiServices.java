package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.Activity;
import dev.dbtplatform.develop.dbt.DbtCommands;
import dev.dbtplatform.develop.dbt.DbtCompiler;
import dev.dbtplatform.develop.dbt.DbtSlot;
import dev.dbtplatform.develop.files.FileService;
import dev.dbtplatform.develop.git.GitService;
import dev.dbtplatform.develop.lineage.LineageService;
import dev.dbtplatform.develop.preview.PreviewService;
import dev.dbtplatform.develop.workspace.Workspace;

/** What the HTTP API serves. */
public record ApiServices(
    Workspace workspace,
    Activity activity,
    FileService files,
    GitService git,
    DbtCompiler compiler,
    DbtCommands commands,
    DbtSlot slot,
    PreviewService previews,
    LineageService lineage) {}
