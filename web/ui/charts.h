// charts.h — the statistics' charts, drawn with ImGui's draw lists (no chart library): bars (side by side
// or stacked), lines, a funnel, a donut and KPI tiles, each with its axis, labels, legend and a tooltip
// on hover. Used by the statistics screen and the kiosk display alike.
//
// Every chart takes the space it is given and records itself for the test hook: the chart as kind
// "chart" under `id`, and each bar, point, stage or slice as kind "mark" under "{id}.{category}.{series}"
// with the label "{category} {series}: {value as shown}", so a browser test reads the figures drawn.
// Values are doubles in the unit the format turns into text (minor units for money).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "web/ui/widgets.h"

namespace kehu::client {

// How a value reads: ValueFormat(1234567) -> "¥12,345.67" for CNY amounts, "1,234,567" for counts.
using ValueFormat = std::function<std::string(double)>;
// A whole number with thousands separators: 1234567 -> "1,234,567".
std::string count_text(int64_t n);
// An amount in minor units with its currency: (123456789, "CNY") -> "¥1,234,567.89"; other currencies
// lead with their code ("USD 12.00").
std::string amount_text(int64_t minor, const std::string& currency);
// A short form for axis ticks: 12,000,000 minor CNY -> "¥12万" (zh) or "¥120K" (en).
std::string short_amount_text(const Ui& ui, double minor, const std::string& currency);
std::string short_count_text(const Ui& ui, double n);

// The palette series are drawn in, by index (wraps around).
ImU32 series_color(size_t index);

struct ChartSeries {
  std::string name;            // in the legend and tooltip
  std::vector<double> values;  // one per category
};

struct AxisChart {
  std::vector<std::string> categories;  // along the bottom: periods, stages, team names
  std::vector<ChartSeries> series;
  ValueFormat format;                   // tooltips and mark labels
  ValueFormat tick_format;              // the value axis (shorter); `format` when unset
};

// Bars per category: side by side, or stacked (each bar the sum of its series). Returns the category
// clicked this frame (drill-down), if any.
std::optional<size_t> bar_chart(Ui& ui, const std::string& id, const AxisChart& chart, bool stacked, ImVec2 size);
// One line per series through its categories, with a dot at each. Returns the category clicked (the
// nearest to the pointer), if any.
std::optional<size_t> line_chart(Ui& ui, const std::string& id, const AxisChart& chart, ImVec2 size);
// Stages from widest at the top to narrowest, each as wide as its value, with its value and share of the
// first. Returns the stage clicked, if any.
std::optional<size_t> funnel_chart(Ui& ui, const std::string& id, const std::vector<std::string>& stages, const std::vector<double>& values,
                  const ValueFormat& format, ImVec2 size);
// Slices of a ring with a legend beside it and the total in the middle. Returns the slice clicked (on the
// ring or its legend line), if any.
std::optional<size_t> donut_chart(Ui& ui, const std::string& id, const std::vector<std::string>& labels, const std::vector<double>& values,
                 const ValueFormat& format, ImVec2 size);

// A figure with its label and, when known, the change against the previous period ("▲ 12.5 %" green,
// "▼" red). `change` is a fraction (0.125); nullopt when the previous period was zero. Kind "tile";
// the label recorded is "{label}: {value}", and the change, when shown, is "{id}.change" ("▲ 12.5%").
void kpi_tile(Ui& ui, const std::string& id, const std::string& label, const std::string& value, std::optional<double> change,
              ImVec2 size);
// A tile's change: `now` against `before` as a fraction; nullopt when before was zero.
std::optional<double> change_against(int64_t now, int64_t before);

}  // namespace kehu::client
