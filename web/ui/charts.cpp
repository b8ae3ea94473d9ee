#include "web/ui/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kehu::client {

namespace {

constexpr float kPi = 3.14159265f;

ImU32 text_color() { return ImGui::GetColorU32(ImGuiCol_Text); }
ImU32 quiet_color() { return ImGui::GetColorU32(ImGuiCol_TextDisabled); }
ImU32 grid_color() { return ImGui::GetColorU32(ImGuiCol_Border, 0.6f); }

std::string format_value(const ValueFormat& format, double v) {
  return format ? format(v) : count_text(static_cast<int64_t>(std::llround(v)));
}

// "1.5" with at most one decimal, no trailing ".0".
std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// A step for about `ticks` grid lines up to `top`: 1, 2 or 5 times a power of ten.
double nice_step(double top, int ticks) {
  if (top <= 0) return 1;
  const double rough = top / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= rough) return m * power;
  return 10 * power;
}

// Draws `text` (noted for the atlas) at `pos`.
void draw_text(Ui& ui, ImDrawList* dl, ImVec2 pos, ImU32 color, const std::string& text, float font_scale = 1.0f) {
  ui.note(text);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * font_scale, pos, color, text.c_str());
}

ImVec2 text_size(const std::string& text, float font_scale = 1.0f) {
  return ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize() * font_scale, 1e9f, 0, text.c_str());
}

// Records one mark (a bar, point, stage or slice) for the test hook: tests read the figures drawn.
void record_mark(Ui& ui, const std::string& id, const std::string& label, ImVec2 a, ImVec2 b) {
  ui.hook().add({id, label, "mark", std::min(a.x, b.x), std::min(a.y, b.y), std::fabs(b.x - a.x), std::fabs(b.y - a.y)});
}

std::string mark_label(const std::string& category, const std::string& series, const std::string& value) {
  return series.empty() ? category + ": " + value : category + " " + series + ": " + value;
}

// The frame every axis chart shares: the plot rectangle, the value range and the category slots, with
// the legend, the value axis and its grid, and the category labels already drawn.
struct AxisFrame {
  ImVec2 plot_min, plot_max;
  double lo = 0, hi = 1;
  float slot = 0;  // width per category
  float y_of(double v) const {
    return plot_max.y - static_cast<float>((v - lo) / (hi - lo)) * (plot_max.y - plot_min.y);
  }
  float x_of(size_t category) const { return plot_min.x + slot * (static_cast<float>(category) + 0.5f); }
};

AxisFrame draw_axes(Ui& ui, ImDrawList* dl, ImVec2 origin, ImVec2 size, const AxisChart& chart, double lo, double hi) {
  AxisFrame f;
  const float line = ImGui::GetTextLineHeight();
  const float pad = ui.px(6);
  float top = origin.y + pad;
  // Legend: a swatch and a name per series, when there is more than one.
  if (chart.series.size() > 1) {
    float x = origin.x + pad;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const float sw = line * 0.7f;
      dl->AddRectFilled(ImVec2(x, top + (line - sw) / 2), ImVec2(x + sw, top + (line + sw) / 2), series_color(s), 2);
      x += sw + pad / 2;
      draw_text(ui, dl, ImVec2(x, top), text_color(), chart.series[s].name);
      x += text_size(chart.series[s].name).x + pad * 2;
    }
    top += line + pad;
  }
  const double step = nice_step(std::max(hi - lo, 1.0), 4);
  f.lo = std::floor(lo / step) * step;
  f.hi = std::max(std::ceil(hi / step) * step, f.lo + step);
  const ValueFormat& ticks = chart.tick_format ? chart.tick_format : chart.format;
  float axis_w = 0;
  for (double v = f.lo; v <= f.hi + step / 2; v += step) axis_w = std::max(axis_w, text_size(format_value(ticks, v)).x);
  f.plot_min = ImVec2(origin.x + axis_w + pad * 2, top + line / 2);
  f.plot_max = ImVec2(origin.x + size.x - pad, origin.y + size.y - line - pad * 2);
  if (f.plot_max.y <= f.plot_min.y + line) f.plot_max.y = f.plot_min.y + line;
  for (double v = f.lo; v <= f.hi + step / 2; v += step) {
    const float y = f.y_of(v);
    dl->AddLine(ImVec2(f.plot_min.x, y), ImVec2(f.plot_max.x, y), grid_color());
    const std::string label = format_value(ticks, v);
    draw_text(ui, dl, ImVec2(f.plot_min.x - pad - text_size(label).x, y - line / 2), quiet_color(), label);
  }
  const size_t n = std::max<size_t>(chart.categories.size(), 1);
  f.slot = (f.plot_max.x - f.plot_min.x) / static_cast<float>(n);
  // Category labels: every k-th when they would overlap (30 days in a narrow chart).
  float widest = 0;
  for (const auto& c : chart.categories) widest = std::max(widest, text_size(c).x);
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil((widest + pad) / std::max(f.slot, 1.0f))));
  for (size_t i = 0; i < chart.categories.size(); i += every) {
    const std::string& c = chart.categories[i];
    draw_text(ui, dl, ImVec2(f.x_of(i) - text_size(c).x / 2, f.plot_max.y + pad), quiet_color(), c);
  }
  dl->AddLine(ImVec2(f.plot_min.x, f.y_of(0)), ImVec2(f.plot_max.x, f.y_of(0)), quiet_color());
  return f;
}

// The value range of a chart: stacked bars reach the sums; zero is always inside.
void value_range(const AxisChart& chart, bool stacked, double& lo, double& hi) {
  lo = 0, hi = 0;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    double up = 0, down = 0;
    for (const auto& s : chart.series) {
      const double v = c < s.values.size() ? s.values[c] : 0;
      if (stacked) (v >= 0 ? up : down) += v;
      else hi = std::max(hi, v), lo = std::min(lo, v);
    }
    if (stacked) hi = std::max(hi, up), lo = std::min(lo, down);
  }
}

// The chart's own item: hover for tooltips, a click for drill-down, and its rectangle for the test hook.
bool begin_chart(Ui& ui, const std::string& id, ImVec2 size, bool* clicked = nullptr) {
  const bool pressed = ImGui::InvisibleButton(("##chart." + id).c_str(), ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  if (clicked) *clicked = pressed;
  ui.record(id, "", "chart");
  return ImGui::IsItemHovered();
}

std::string series_name(const AxisChart& chart, size_t s) { return chart.series.size() > 1 ? chart.series[s].name : ""; }

// A chart with axes, begun: its item (hovered, clicked this frame), its value range and axes drawn.
struct AxisChartItem {
  ImDrawList* dl;
  AxisFrame frame;
  bool hovered = false, clicked = false;
};
AxisChartItem begin_axis_chart(Ui& ui, const std::string& id, const AxisChart& chart, bool stacked, ImVec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  AxisChartItem item{ImGui::GetWindowDrawList(), {}};
  item.hovered = begin_chart(ui, id, size, &item.clicked);
  double lo, hi;
  value_range(chart, stacked, lo, hi);
  item.frame = draw_axes(ui, item.dl, origin, size, chart, lo, hi);
  return item;
}

// The tooltip of the marks under the pointer, noted for the font atlas.
void show_tip(Ui& ui, const std::string& tip) {
  if (tip.empty()) return;
  ui.note(tip);
  ImGui::SetTooltip("%s", tip.c_str());
}

}  // namespace

std::string count_text(int64_t n) {
  const bool negative = n < 0;
  const uint64_t v = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-" : "") + out;
}

std::string amount_text(int64_t minor, const std::string& currency) {
  const bool negative = minor < 0;
  const uint64_t v = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  const unsigned cents = static_cast<unsigned>(v % 100);
  std::string text = count_text(static_cast<int64_t>(v / 100)) + "." + std::to_string(cents / 10) + std::to_string(cents % 10);
  const std::string sign = negative ? "-" : "";
  if (currency == "CNY" || currency.empty()) return sign + "¥" + text;
  return sign + currency + " " + text;
}

std::string short_count_text(const Ui& ui, double n) {
  const double a = std::fabs(n);
  if (ui.lang() == Lang::zh) {
    if (a >= 1e8) return one_decimal(n / 1e8) + "亿";
    if (a >= 1e4) return one_decimal(n / 1e4) + "万";
  } else {
    if (a >= 1e9) return one_decimal(n / 1e9) + "B";
    if (a >= 1e6) return one_decimal(n / 1e6) + "M";
    if (a >= 1e3) return one_decimal(n / 1e3) + "K";
  }
  return one_decimal(n);
}

std::string short_amount_text(const Ui& ui, double minor, const std::string& currency) {
  const std::string prefix = currency == "CNY" || currency.empty() ? "¥" : currency + " ";
  return prefix + short_count_text(ui, minor / 100);
}

ImU32 series_color(size_t index) {
  static const ImU32 kPalette[] = {IM_COL32(52, 120, 246, 255), IM_COL32(255, 159, 28, 255), IM_COL32(46, 170, 90, 255),
                                   IM_COL32(220, 70, 70, 255),  IM_COL32(142, 90, 220, 255), IM_COL32(30, 170, 190, 255),
                                   IM_COL32(230, 110, 170, 255), IM_COL32(130, 130, 130, 255)};
  return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::optional<size_t> bar_chart(Ui& ui, const std::string& id, const AxisChart& chart, bool stacked, ImVec2 size) {
  const auto [dl, f, hovered, clicked] = begin_axis_chart(ui, id, chart, stacked, size);
  std::optional<size_t> picked;
  const size_t n_series = std::max<size_t>(chart.series.size(), 1);
  const float group = f.slot * 0.7f;
  const float bar = stacked ? group : group / static_cast<float>(n_series);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  std::string tip;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    double up = 0, down = 0;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const double v = c < chart.series[s].values.size() ? chart.series[s].values[c] : 0;
      double from = 0, to = v;
      if (stacked) {
        double& base = v >= 0 ? up : down;
        from = base, to = base + v, base = to;
      }
      const float x0 = stacked ? f.x_of(c) - group / 2 : f.x_of(c) - group / 2 + bar * static_cast<float>(s);
      const ImVec2 a(x0 + 1, f.y_of(to)), b(x0 + bar - 1, f.y_of(from));
      dl->AddRectFilled(ImVec2(a.x, std::min(a.y, b.y)), ImVec2(b.x, std::max(a.y, b.y)), series_color(s));
      const std::string label = mark_label(chart.categories[c], series_name(chart, s), format_value(chart.format, v));
      record_mark(ui, id + "." + chart.categories[c] + "." + std::to_string(s), label, a, b);
      if (hovered && mouse.x >= f.x_of(c) - f.slot / 2 && mouse.x < f.x_of(c) + f.slot / 2)
        tip += (tip.empty() ? "" : "\n") + label;
    }
    if (clicked && mouse.x >= f.x_of(c) - f.slot / 2 && mouse.x < f.x_of(c) + f.slot / 2) picked = c;
  }
  show_tip(ui, tip);
  return picked;
}

std::optional<size_t> line_chart(Ui& ui, const std::string& id, const AxisChart& chart, ImVec2 size) {
  const auto [dl, f, hovered, clicked] = begin_axis_chart(ui, id, chart, false, size);
  std::optional<size_t> picked;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float dot = ui.px(3);
  std::string tip;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const auto& values = chart.series[s].values;
    std::vector<ImVec2> points;
    for (size_t c = 0; c < chart.categories.size() && c < values.size(); ++c) points.emplace_back(f.x_of(c), f.y_of(values[c]));
    if (points.size() > 1) dl->AddPolyline(points.data(), static_cast<int>(points.size()), series_color(s), 0, ui.px(2));
    for (size_t c = 0; c < points.size(); ++c) {
      if (points.size() <= 62) dl->AddCircleFilled(points[c], dot, series_color(s));
      const std::string label = mark_label(chart.categories[c], series_name(chart, s), format_value(chart.format, values[c]));
      record_mark(ui, id + "." + chart.categories[c] + "." + std::to_string(s), label, ImVec2(points[c].x - dot, points[c].y - dot),
                  ImVec2(points[c].x + dot, points[c].y + dot));
      const bool near = std::fabs(mouse.x - points[c].x) < f.slot / 2;
      if (hovered && near) tip += (tip.empty() ? "" : "\n") + label;
      if (clicked && near) picked = c;
    }
  }
  show_tip(ui, tip);
  return picked;
}

std::optional<size_t> funnel_chart(Ui& ui, const std::string& id, const std::vector<std::string>& stages,
                                   const std::vector<double>& values, const ValueFormat& format, ImVec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  bool clicked = false;
  const bool hovered = begin_chart(ui, id, size, &clicked);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  std::optional<size_t> picked;
  if (stages.empty()) return picked;
  const float pad = ui.px(6), line = ImGui::GetTextLineHeight();
  float label_w = 0;
  for (const auto& s : stages) label_w = std::max(label_w, text_size(s).x);
  const double widest = std::max(1.0, *std::max_element(values.begin(), values.end()));
  const double first = values.empty() ? 0 : values.front();
  const float left = origin.x + label_w + pad * 2, right = origin.x + size.x - pad;
  const float row = std::max(line + pad, (size.y - pad) / static_cast<float>(stages.size()));
  const float center = (left + right) / 2;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (size_t i = 0; i < stages.size(); ++i) {
    const double v = i < values.size() ? values[i] : 0;
    const float half = std::max(ui.px(2), static_cast<float>(v / widest) * (right - left) / 2);
    const float y0 = origin.y + row * static_cast<float>(i) + pad / 2, y1 = y0 + row - pad;
    dl->AddRectFilled(ImVec2(center - half, y0), ImVec2(center + half, y1), series_color(i), ui.px(3));
    draw_text(ui, dl, ImVec2(origin.x + pad, (y0 + y1 - line) / 2), text_color(), stages[i]);
    std::string label = format_value(format, v);
    if (i > 0 && first > 0) label += " (" + one_decimal(100.0 * v / first) + "%)";
    const ImVec2 ts = text_size(label);
    const bool inside = ts.x + pad < half * 2;
    draw_text(ui, dl, ImVec2(inside ? center - ts.x / 2 : center + half + pad, (y0 + y1 - line) / 2),
              inside ? IM_COL32(255, 255, 255, 255) : text_color(), label);
    const std::string mark = mark_label(stages[i], "", label);
    record_mark(ui, id + "." + stages[i], mark, ImVec2(center - half, y0), ImVec2(center + half, y1));
    if (hovered && mouse.y >= y0 && mouse.y < y1) {
      ui.note(mark);
      ImGui::SetTooltip("%s", mark.c_str());
    }
    if (clicked && mouse.y >= y0 && mouse.y < y1) picked = i;
  }
  return picked;
}

std::optional<size_t> donut_chart(Ui& ui, const std::string& id, const std::vector<std::string>& labels,
                                  const std::vector<double>& values, const ValueFormat& format, ImVec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  bool clicked = false;
  const bool hovered = begin_chart(ui, id, size, &clicked);
  std::optional<size_t> picked;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = ui.px(6), line = ImGui::GetTextLineHeight();
  double total = 0;
  for (double v : values) total += std::max(0.0, v);
  const float outer = std::max(ui.px(10), std::min(size.x * 0.45f, size.y) / 2 - pad);
  const float inner = outer * 0.58f;
  const ImVec2 c(origin.x + pad + outer, origin.y + size.y / 2);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float mdx = mouse.x - c.x, mdy = mouse.y - c.y, mr = std::sqrt(mdx * mdx + mdy * mdy);
  float ma = std::atan2(mdy, mdx) + kPi / 2;
  if (ma < 0) ma += 2 * kPi;
  float a = 0;
  float legend_y = origin.y + std::max(pad, size.y / 2 - static_cast<float>(labels.size()) * (line + pad / 2) / 2);
  const float legend_x = c.x + outer + pad * 3;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double v = i < values.size() ? std::max(0.0, values[i]) : 0;
    const float sweep = total > 0 ? static_cast<float>(v / total) * 2 * kPi : 0;
    // The ring segment as thin quads: a ring is not convex, so no single filled path draws it. Without
    // anti-aliased edges, neighbouring quads meet without a visible seam.
    const ImDrawListFlags flags = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
    const int steps = std::max(1, static_cast<int>(sweep / (kPi / 60)));
    for (int k = 0; k < steps; ++k) {
      const float t0 = a + sweep * k / steps - kPi / 2, t1 = a + sweep * (k + 1) / steps - kPi / 2;
      dl->AddQuadFilled(ImVec2(c.x + std::cos(t0) * inner, c.y + std::sin(t0) * inner),
                        ImVec2(c.x + std::cos(t0) * outer, c.y + std::sin(t0) * outer),
                        ImVec2(c.x + std::cos(t1) * outer, c.y + std::sin(t1) * outer),
                        ImVec2(c.x + std::cos(t1) * inner, c.y + std::sin(t1) * inner), series_color(i));
    }
    dl->Flags = flags;
    const std::string share = total > 0 ? one_decimal(100.0 * v / total) + "%" : "0%";
    const std::string label = mark_label(labels[i], "", format_value(format, v) + " (" + share + ")");
    const float sw = line * 0.7f;
    dl->AddRectFilled(ImVec2(legend_x, legend_y + (line - sw) / 2), ImVec2(legend_x + sw, legend_y + (line + sw) / 2),
                      series_color(i), 2);
    draw_text(ui, dl, ImVec2(legend_x + sw + pad, legend_y), text_color(), label);
    record_mark(ui, id + "." + labels[i], label, ImVec2(legend_x, legend_y), ImVec2(legend_x + sw + pad + text_size(label).x, legend_y + line));
    const bool pointed = (mr >= inner && mr <= outer && ma >= a && ma < a + sweep) ||
                         (mouse.y >= legend_y && mouse.y < legend_y + line && mouse.x >= legend_x);
    if (hovered && pointed) {
      ui.note(label);
      ImGui::SetTooltip("%s", label.c_str());
    }
    if (clicked && pointed) picked = i;
    legend_y += line + pad / 2;
    a += sweep;
  }
  const std::string sum = format_value(format, total);
  draw_text(ui, dl, ImVec2(c.x - text_size(sum).x / 2, c.y - line / 2), text_color(), sum);
  return picked;
}

std::optional<double> change_against(int64_t now, int64_t before) {
  if (before == 0) return std::nullopt;
  return static_cast<double>(now - before) / static_cast<double>(std::llabs(before));
}

void kpi_tile(Ui& ui, const std::string& id, const std::string& label, const std::string& value, std::optional<double> change,
              ImVec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(("##tile." + id).c_str(), ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  ui.record(id, label + ": " + value, "tile");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = ui.px(10), line = ImGui::GetTextLineHeight();
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg), ui.px(6));
  draw_text(ui, dl, ImVec2(origin.x + pad, origin.y + pad), quiet_color(), label);
  const float big = std::clamp((size.y - line - pad * 3) / line, 1.0f, 2.2f);
  draw_text(ui, dl, ImVec2(origin.x + pad, origin.y + pad * 1.5f + line), text_color(), value, big);
  if (change) {
    const bool up = *change >= 0;
    const std::string text = std::string(up ? "▲ " : "▼ ") + one_decimal(std::fabs(*change) * 100) + "%";
    ui.record(id + ".change", text, "text");
    const ImVec2 ts = text_size(text);
    draw_text(ui, dl, ImVec2(origin.x + size.x - pad - ts.x, origin.y + pad), up ? IM_COL32(30, 140, 60, 255) : IM_COL32(200, 50, 50, 255),
              text);
  }
}

}  // namespace kehu::client
