// dialog_buttons.h — the two buttons that end a confirmation dialog (a popup modal), so every destructive
// action asks the same way: {prefix}.confirm, greyed until the dialog is ready, and {prefix}.cancel, which
// Esc presses too.
#pragma once

#include <string>

#include "web/ui/widgets.h"

namespace kehu::client {

enum class DialogAnswer { none, ok, cancel };

// Draws the buttons inside the open popup and closes it when answered (on ok only when `close_on_ok`: a
// dialog whose ok waits for the server closes itself once it answers).
DialogAnswer dialog_buttons(Ui& ui, const std::string& prefix, const std::string& ok_label, bool ready, bool close_on_ok = true);

// A whole confirmation: opens the popup modal (while the caller keeps asking, once per frame), shows
// `question` ({prefix}.question) and the two buttons. The caller stops asking once answered.
DialogAnswer confirm_dialog(Ui& ui, const std::string& prefix, const std::string& question, const std::string& ok_label,
                            bool ready);

}  // namespace kehu::client
