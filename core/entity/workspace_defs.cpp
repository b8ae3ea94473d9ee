// workspace_defs.cpp — announcements (公告) and saved list views (SPEC §4, §5).
#include "core/entity/entity_def.h"
#include "core/entity/field_builders.h"
#include "core/users/user_store.h"

namespace kehu {

namespace {

using namespace fields;

EntityDef make_announcements() {
  EntityDef e;
  e.name = "announcements";
  e.label = {"公告", "announcement"};
  FieldDef audience = typed("audience", {"发布对象", "audience"}, FieldType::string_list);
  audience.max_len = 10;
  // Each item one of the roles; empty: everyone. Announcements are reference data every staff role reads
  // and syncs (SPEC §3); the audience says whose screens show one, not who may read it.
  audience.values = user_roles();
  e.fields = {
      required(listed(searchable(text("title", {"标题", "title"}, 200)))),
      searchable(text("body", {"内容", "body"}, 20000)),
      when("publish_at", {"发布时间", "publish at"}, FieldType::datetime),
      when("expire_at", {"过期时间", "expire at"}, FieldType::datetime),
      audience,
  };
  return e;
}

EntityDef make_views() {
  EntityDef e;
  e.name = "views";
  e.label = {"列表视图", "saved view"};
  FieldDef columns = typed("columns", {"显示列", "columns"}, FieldType::string_list);
  columns.max_len = 50;
  // Saved views are private: always the creator's, never handed to anyone.
  FieldDef mine = server_set(owner());
  e.fields = {
      required(listed(text("name", {"视图名称", "name"}, 100))),
      required(listed(text("resource", {"列表", "list"}, 50))),
      typed("filters", {"筛选条件", "filters"}, FieldType::object),
      text("sort", {"排序", "sort"}, 64),
      columns,
      mine,
  };
  return e;
}

}  // namespace

const EntityDef& announcements_def() {
  static const EntityDef kDef = make_announcements();
  return kDef;
}
const EntityDef& views_def() {
  static const EntityDef kDef = make_views();
  return kDef;
}

}  // namespace kehu
