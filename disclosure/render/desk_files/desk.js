/* The editing desk's preview pane in the site's own look: the site's stylesheet and the structure
   of its pages (title, the 文件信息 table with <caption> and <th scope>, the body). Decap renders
   these with React in an iframe; `h` and `createClass` are the globals its bundle provides. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  CMS.registerPreviewStyle("../static/site.css");
  CMS.registerPreviewStyle("preview.css");

  function value(entry, key) {
    var found = entry.getIn(["data", key]);
    if (found === undefined || found === null) return "";
    return found && found.toJS ? found.toJS() : found;
  }
  function joined(found, separator) {
    if (Array.isArray(found)) return found.filter(Boolean).join(separator || "、");
    return found ? String(found) : "";
  }
  function row(label, content) {
    return h("tr", { key: label }, h("th", { scope: "row" }, label), h("td", {}, content || "无"));
  }
  function metaTable(caption, rows) {
    return h("table", { className: "meta-table" }, h("caption", {}, caption), h("tbody", {}, rows));
  }
  function page(title, parts) {
    return h("div", { className: "desk-preview" },
      h("p", { className: "desk-preview__note", role: "note" }, "预览：按网站的样式显示，保存并审核发布后才出现在网站上"),
      h("main", { id: "main" }, h("article", { className: "document" }, [h("h1", { key: "h" }, title || "（还没有填写标题）")].concat(parts))));
  }

  var DocumentPreview = createClass({
    render: function () {
      var e = this.props.entry;
      var rows = [
        row("索引号", value(e, "index_no")),
        row("主题分类", value(e, "topic")),
        row("发布机构", joined(value(e, "issuer"))),
        row("成文日期", value(e, "written")),
        row("标题", value(e, "title")),
        row("发文字号", value(e, "doc_number")),
        row("发布日期", value(e, "published")),
        row("公文种类", value(e, "kind")),
        row("有效性", value(e, "validity")),
      ];
      if (value(e, "normative")) rows.push(row("文件类别", "规范性文件"));
      if (value(e, "in_force")) rows.push(row("施行日期", value(e, "in_force")));
      if (value(e, "expires")) rows.push(row("有效期至", value(e, "expires")));
      rows.push(row("废止日期", value(e, "repealed")));
      if (joined(value(e, "keywords"))) rows.push(row("主题词", joined(value(e, "keywords"), "　")));
      var files = value(e, "attachments") || [];
      var parts = [metaTable("文件信息", rows), h("div", { className: "prose", key: "b" }, this.props.widgetFor("body"))];
      if (files.length) {
        parts.push(h("section", { className: "related", key: "a" }, h("h2", {}, "附件"),
          h("ul", {}, files.map(function (file, i) { return h("li", { key: i }, (file && file.title) || (file && file.file) || ""); }))));
      }
      return page(value(e, "title"), parts);
    },
  });

  var InterpretationPreview = createClass({
    render: function () {
      var e = this.props.entry;
      var qa = value(e, "qa") || [];
      var parts = [metaTable("解读信息", [
        row("发布机构", joined(value(e, "issuer"))),
        row("发布日期", value(e, "published")),
        row("解读形式", value(e, "form")),
        row("所解读文件", value(e, "interprets")),
      ]), h("div", { className: "prose", key: "b" }, this.props.widgetFor("body"))];
      if (qa.length) {
        parts.push(h("section", { className: "qa", key: "q" }, qa.map(function (pair, i) {
          return h("div", { key: i }, h("h2", {}, (pair && pair.q) || ""), h("p", {}, (pair && pair.a) || ""));
        })));
      }
      return page(value(e, "title"), parts);
    },
  });

  var TasksPreview = createClass({
    render: function () {
      var e = this.props.entry;
      var tasks = value(e, "tasks") || [];
      var head = ["序号", "工作任务", "具体要求", "责任单位", "完成时限"];
      return page(value(e, "title"), [h("table", { className: "task-table", key: "t" },
        h("caption", {}, "任务分解"),
        h("thead", {}, h("tr", {}, head.map(function (label) { return h("th", { scope: "col", key: label }, label); }))),
        h("tbody", {}, tasks.map(function (task, i) {
          task = task || {};
          return h("tr", { key: i }, h("td", {}, task.no), h("td", {}, joined([task.area, task.item], "／")),
            h("td", {}, task.requirement), h("td", {}, joined(task.units)), h("td", {}, task.deadline));
        })))]);
    },
  });

  var PagePreview = createClass({
    render: function () {
      var e = this.props.entry;
      return page(value(e, "title"), [h("div", { className: "prose", key: "b" }, this.props.widgetFor("body"))]);
    },
  });

  var CataloguePreview = createClass({
    render: function () {
      var e = this.props.entry;
      var rows = value(e, "rows") || [];
      var head = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
        "公开对象", "公开方式", "公开层级"];
      var title = (value(e, "area") || "（还没有填写领域名称）") + "领域基层政务公开标准目录";
      return page(title, [h("div", { className: "table-scroll", key: "t", tabIndex: 0, role: "region", "aria-label": "公开事项" },
        h("table", { className: "catalogue-table" }, h("caption", {}, "公开事项"),
          h("thead", {}, h("tr", {}, head.map(function (label) { return h("th", { scope: "col", key: label }, label); }))),
          h("tbody", {}, rows.map(function (row, i) {
            row = row || {};
            return h("tr", { key: i }, h("td", {}, i + 1), h("td", {}, row.item), h("td", {}, row.subitem),
              h("td", {}, row.elements), h("td", {}, row.basis), h("td", {}, row.time_limit), h("td", {}, joined(row.bodies)),
              h("td", {}, joined(row.channels)), h("td", {}, joined(row.audience)), h("td", {}, joined(row.manner)),
              h("td", {}, joined(row.levels)));
          }))))]);
    },
  });

  // The 年度报告's tables, drawn from the form's own configuration (labels generated from
  // load/report_format.py), so the rows and columns are the format's without a copy here.
  function label(field) { return field.get("label"); }
  function cell(found) { return found === undefined || found === null || found === "" ? "" : String(found); }
  function matrix(field, data, key) {
    var rows = field.get("fields").toArray();
    var columns = rows[0].get("fields").toArray();
    // A row's label is its path in the format, parts separated by "　" (三、本年度办理结果　（三）不予公开　1.…):
    // each group is a heading row once, then the row under its own label, as the published table has it.
    var body = [], groups = [];
    rows.forEach(function (r) {
      var path = label(r).split("　"), values = (data && data[r.get("name")]) || {};
      path.slice(0, -1).forEach(function (group, depth) {
        if (groups[depth] === group) return;
        groups = groups.slice(0, depth).concat([group]);
        body.push(h("tr", { key: "g" + body.length, className: "report-table__group" },
          h("th", { scope: "colgroup", colSpan: columns.length + 1 }, group)));
      });
      groups = groups.slice(0, path.length - 1);
      body.push(h("tr", { key: r.get("name") }, [h("th", { scope: "row", key: "r" }, path[path.length - 1])].concat(
        columns.map(function (c) { return h("td", { key: c.get("name") }, cell(values[c.get("name")])); }))));
    });
    return h("div", { className: "table-scroll", key: key, tabIndex: 0, role: "region", "aria-label": label(field) },
      h("table", { className: "report-table" }, h("caption", {}, label(field)),
        h("thead", {}, h("tr", {}, [h("td", { key: "c" })].concat(columns.map(function (c) {
          return h("th", { scope: "col", key: c.get("name") }, label(c));
        })))),
        h("tbody", {}, body)));
  }
  function listing(field, data, key) {
    var lines = [];
    field.get("fields").forEach(function (r) {
      var found = data ? data[r.get("name")] : undefined;
      if (r.get("fields")) {
        r.get("fields").forEach(function (c) {
          lines.push(h("tr", { key: r.get("name") + c.get("name") }, h("th", { scope: "row" }, label(r)),
            h("th", { scope: "row" }, label(c)), h("td", {}, cell(found && found[c.get("name")]))));
        });
      } else {
        var parts = label(r).split("：");
        lines.push(h("tr", { key: r.get("name") }, h("th", { scope: "row" }, parts[0]),
          h("th", { scope: "row" }, parts.slice(1).join("：")), h("td", {}, cell(found))));
      }
    });
    return h("table", { className: "report-table", key: key }, h("caption", {}, label(field)),
      h("thead", {}, h("tr", {}, ["信息内容", "项目", "数量"].map(function (t) { return h("th", { scope: "col", key: t }, t); }))),
      h("tbody", {}, lines));
  }

  var ReportPreview = createClass({
    render: function () {
      var e = this.props.entry, props = this.props;
      var fields = props.collection.get("fields");
      var title = value(e, "title") || (value(e, "issuer") + (value(e, "year") || "") + "年政府信息公开工作年度报告");
      var parts = [metaTable("报告信息", [row("发布机构", value(e, "issuer")), row("报告年度", cell(value(e, "year"))),
        row("发布日期", value(e, "published"))])];
      fields.forEach(function (field) {
        var name = field.get("name");
        if (field.get("widget") === "markdown") {
          if (name === "other" && !value(e, name)) return;
          parts.push(h("section", { key: name }, h("h2", {}, label(field)), h("div", { className: "prose" }, props.widgetFor(name))));
        } else if (field.get("widget") === "object") {
          var data = value(e, name);
          parts.push(h("section", { key: name }, h("h2", {}, label(field)),
            name === "proactive" ? listing(field, data, "t") : matrix(field, data, "t")));
        }
      });
      return page(title, parts);
    },
  });

  CMS.registerPreviewTemplate("reports", ReportPreview);

  // 意见征集: the page's order (征集信息, 提出意见的方式, 起草说明, 背景, 征求意见稿, 意见反馈).
  function section(key, title, content) {
    return h("section", { key: key }, h("h2", {}, title), content);
  }
  var ConsultationPreview = createClass({
    render: function () {
      var e = this.props.entry;
      var start = value(e, "start"), end = value(e, "end");
      var rows = [
        row("征集单位", joined(value(e, "issuer"))),
        row("征集期", start || end ? (start || "？") + " 至 " + (end || "？") : ""),
        row("草案类型", value(e, "normative") ? "规范性文件草案" : "决策草案"),
      ];
      if (value(e, "shorten_reason")) rows.push(row("缩短征集期的理由", value(e, "shorten_reason")));
      if (value(e, "decision")) rows.push(row("相关决策事项", value(e, "decision")));
      var ways = [["email", "电子邮件"], ["post", "信函"], ["phone", "电话"], ["in_person", "现场提交"], ["contact", "联系人"]];
      var respond = [];
      ways.forEach(function (way) {
        var found = value(e, way[0]);
        if (found) respond.push(h("dt", { key: way[0] + "t" }, way[1]), h("dd", { key: way[0] + "d" }, found));
      });
      var parts = [metaTable("征集信息", rows),
        section("r", "提出意见的方式", respond.length ? h("dl", { className: "respond" }, respond) : h("p", {}, "（至少填写一种提交意见的方式）")),
        section("x", "起草说明", h("div", { className: "prose" }, this.props.widgetFor("explanation")))];
      if (value(e, "background")) parts.push(section("g", "背景", h("div", { className: "prose" }, this.props.widgetFor("background"))));
      parts.push(section("d", "征求意见稿", h("div", { className: "prose" }, this.props.widgetFor("body"))));
      var fb = value(e, "feedback") || {};
      if (fb.published || fb.summary) {
        var counts = [["received", "收到意见"], ["adopted", "采纳"], ["partly", "部分采纳"], ["not_adopted", "未采纳"]];
        parts.push(section("f", "意见反馈", [
          h("p", { key: "p" }, "反馈发布日期：" + (fb.published || "")),
          h("table", { className: "meta-table feedback-table", key: "t" }, h("caption", {}, "意见采纳情况（单位：条）"),
            h("tbody", {}, counts.map(function (c) { return row(c[1], fb[c[0]] === undefined || fb[c[0]] === "" ? "" : String(fb[c[0]])); }))),
          h("p", { key: "s" }, fb.summary || ""),
        ].concat(fb.reasons ? [h("h3", { key: "h" }, "未采纳的理由"), h("p", { key: "r" }, fb.reasons)] : [])));
      } else {
        parts.push(section("f", "意见反馈", h("p", {}, "征集结束后，意见采纳情况在本页公布。")));
      }
      return page(value(e, "title"), parts);
    },
  });

  // 重大行政决策事项目录: the year's table, one row per 事项 with its five procedures.
  var DecisionsPreview = createClass({
    render: function () {
      var e = this.props.entry;
      var items = value(e, "items") || [];
      var year = value(e, "year");
      var title = value(e, "title") || (year ? year + "年度重大行政决策事项目录" : "（还没有填写目录年度）");
      var procedures = [["public", "公众参与"], ["experts", "专家论证"], ["risk", "风险评估"], ["legality", "合法性审查"],
        ["collective", "集体讨论决定"]];
      var head = ["序号", "事项名称", "承办单位", "决策依据", "计划完成时间", "决策程序进展", "事项状态"];
      return page(title, [h("p", { key: "p" }, "公布日期：" + (value(e, "published") || "")),
        h("div", { className: "table-scroll", key: "t", tabIndex: 0, role: "region", "aria-label": "决策事项" },
          h("table", { className: "decision-table" }, h("caption", {}, title + "（" + items.length + " 个事项）"),
            h("thead", {}, h("tr", {}, head.map(function (label) { return h("th", { scope: "col", key: label }, label); }))),
            h("tbody", {}, items.map(function (item, i) {
              item = item || {};
              var states = item.procedures || {};
              return h("tr", { key: i }, h("td", {}, i + 1), h("th", { scope: "row" }, item.name || ""),
                h("td", {}, joined(item.body)), h("td", {}, item.basis || ""), h("td", {}, item.planned || ""),
                h("td", {}, h("ul", {}, procedures.map(function (p) {
                  return h("li", { key: p[0] }, p[1] + "：" + (states[p[0]] || "未开始"));
                }))), h("td", {}, item.state || ""));
            }))))]);
    },
  });

  CMS.registerPreviewTemplate("consultations", ConsultationPreview);
  CMS.registerPreviewTemplate("decisions", DecisionsPreview);
  CMS.registerPreviewTemplate("catalogue", CataloguePreview);
  CMS.registerPreviewTemplate("documents", DocumentPreview);
  CMS.registerPreviewTemplate("interpretations", InterpretationPreview);
  CMS.registerPreviewTemplate("tasks", TasksPreview);
  CMS.registerPreviewTemplate("pages", PagePreview);
})();
